import { z } from 'zod';
import { numberToDecimalText } from './decimal-text';
import { fromGhostfolioActivity, GHOSTFOLIO_FIELD_OF_DRAFT } from './ghostfolio-activity';
import { type ImportRowError, MAX_IMPORT_ROWS, type ParsedFile, type ParsedRow } from './import-types';
import { inTurns } from './in-turns';

/**
 * Ghostfolio's JSON export: { activities, assetProfiles, accounts, … }. Every activity is imported into
 * the one target account, whichever Ghostfolio account it named. Asset profiles supply names (for
 * messages) and ISINs (to resolve MANUAL instruments) and the currency when an activity lacks one.
 * Numbers are JSON numbers: each becomes the exact decimal of its shortest round-trip text, String(n).
 */

const exportSchema = z.object({
  activities: z.array(z.unknown()).max(MAX_IMPORT_ROWS),
  assetProfiles: z.array(z.unknown()).max(MAX_IMPORT_ROWS).optional(),
});

const activitySchema = z.object({
  type: z.string().max(32),
  date: z.string().max(40),
  symbol: z.string().min(1).max(200).nullish(),
  dataSource: z.string().max(40).nullish(),
  currency: z.string().max(8).nullish(),
  quantity: z.number(),
  unitPrice: z.number(),
  fee: z.number(),
  comment: z.string().max(2000).nullish(),
});

const profileSchema = z.object({
  dataSource: z.string(),
  symbol: z.string(),
  name: z.string().nullish(),
  isin: z.string().nullish(),
  currency: z.string().nullish(),
});
type Profile = z.infer<typeof profileSchema>;

export async function parseGhostfolioJson(content: string): Promise<ParsedFile> {
  const columnOf = GHOSTFOLIO_FIELD_OF_DRAFT;
  let json: unknown;
  try {
    json = JSON.parse(content);
  } catch (error) {
    return {
      rows: [],
      errors: [{ row: 0, message: `unreadable JSON: ${(error as Error).message}` }],
      columnOf,
    };
  }
  const file = exportSchema.safeParse(json);
  if (!file.success) {
    const issue = file.error.issues[0]!;
    const message = `not a Ghostfolio export: ${issue.path.join('.') || 'file'}: ${issue.message}`;
    return { rows: [], errors: [{ row: 0, message }], columnOf };
  }
  const profiles = new Map<string, Profile>();
  await inTurns(file.data.assetProfiles ?? [], (candidate) => {
    const profile = profileSchema.safeParse(candidate);
    if (profile.success) profiles.set(`${profile.data.dataSource}|${profile.data.symbol}`, profile.data);
  });

  const rows: ParsedRow[] = [];
  const errors: ImportRowError[] = [];
  let row = 0;
  await inTurns(file.data.activities, (candidate) => {
    row++;
    const parsed = activitySchema.safeParse(candidate);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      errors.push({ row, field: issue.path.join('.') || undefined, message: issue.message });
      return;
    }
    const a = parsed.data;
    const profile = a.symbol ? profiles.get(`${a.dataSource ?? ''}|${a.symbol}`) : undefined;
    const result = fromGhostfolioActivity({
      row,
      type: a.type,
      date: a.date,
      symbol: a.symbol ?? undefined,
      dataSource: a.dataSource ?? undefined,
      currency: a.currency ?? profile?.currency ?? undefined,
      quantity: numberToDecimalText(a.quantity),
      unitPrice: numberToDecimalText(a.unitPrice),
      fee: numberToDecimalText(a.fee),
      comment: a.comment ?? undefined,
      ...(profile ? { profile } : {}),
    });
    if ('instrument' in result) rows.push(result);
    else errors.push(result);
  });
  return { rows, errors, columnOf };
}
