import {
  int8TextSchema,
  isMultiLineText,
  isoInstantSchema,
  printableKeySchema,
  TRANSACTION_TYPES,
  tradeDateSchema,
} from '@tickfolio/core';
import { z } from 'zod';
import { IMPORT_FORMATS } from '../services/import/import-transactions';
import { IMPORT_MODES } from '../services/import/import-types';
import { ownerOf } from '../services/owner-of';
import { checkFieldsForType, transactionFieldsShape } from '../services/transaction-input';
import { protectedProcedure, router } from '../trpc/init';

const idempotencyKey = printableKeySchema(128);

/**
 * The opaque cursor transactions.list returns: base64url of "<ISO instant>|<sequence>", each held to
 * what the ledger's columns take (an instant between 1900 and 9999, a bigint sequence).
 */
const cursor = z
  .string()
  .max(200)
  .regex(/^[A-Za-z0-9_-]+$/)
  .refine((text) => {
    const [instant, sequence, ...rest] = Buffer.from(text, 'base64url').toString().split('|');
    return (
      rest.length === 0 &&
      isoInstantSchema.safeParse(instant).success &&
      int8TextSchema.safeParse(sequence).success
    );
  }, 'not a cursor returned by transactions.list');

/** 5 MB of text; the HTTP body limit (BODY_LIMIT_BYTES) must allow it too. */
const MAX_IMPORT_CHARS = 5 * 1024 * 1024;

/**
 * The ledger. Amounts are decimal strings (quantities and prices up to 8 places). Domain refusals
 * (OVERSELL, CURRENCY_MISMATCH, …) are BAD_REQUEST with data.reason = the code and change nothing;
 * writes to a closed account are CONFLICT; another owner's data is NOT_FOUND, like a missing id.
 */
export const transactionsRouter = router({
  /** Newest first, paged: pass nextCursor back as cursor. Scope: accountId, or ownerId (default: caller). */
  list: protectedProcedure
    .input(
      z
        .strictObject({
          accountId: z.uuid().optional(),
          ownerId: z.uuid().optional(),
          instrumentId: z.uuid().optional(),
          types: z.array(z.enum(TRANSACTION_TYPES)).min(1).max(TRANSACTION_TYPES.length).optional(),
          from: tradeDateSchema.optional(),
          to: tradeDateSchema.optional(),
          limit: z.int().min(1).max(500).default(50),
          cursor: cursor.optional(),
        })
        .refine((q) => q.accountId === undefined || q.ownerId === undefined, {
          message: 'give accountId or ownerId, not both',
          path: ['ownerId'],
        }),
    )
    .query(({ ctx, input }) => {
      const { accountId, ownerId, ...filters } = input;
      const scope = accountId ? { accountId } : { ownerId: ownerOf(ctx.principal, ownerId) };
      return ctx.services.transactions.list(ctx.principal, { scope, ...filters });
    }),

  add: protectedProcedure
    .input(
      z
        .strictObject({
          accountId: z.uuid(),
          ...transactionFieldsShape,
          idempotencyKey: idempotencyKey.optional(),
        })
        .superRefine(checkFieldsForType),
    )
    .mutation(({ ctx, input }) => ctx.services.transactions.add(ctx.principal, input, ctx.requestId)),

  /** Returns the deleted transaction. BAD_REQUEST (e.g. OVERSELL) when later sells relied on it. */
  delete: protectedProcedure
    .input(z.strictObject({ transactionId: z.uuid() }))
    .mutation(({ ctx, input }) =>
      ctx.services.transactions.delete(ctx.principal, input.transactionId, ctx.requestId),
    ),

  /**
   * Imports a file into one account (formats: see services/import). The outcome is a report, not an
   * error, when rows are at fault: `{ imported, skipped, duplicates, errors, errorCount,
   * unknownInstruments, addedInstruments, mode, dryRun }`. `errors` lists each bad row (`row` = CSV
   * line, header = 1, or 1-based JSON activity; 0 = the whole file), the `field` when one is at fault and
   * a `reason` code for ledger refusals. mode 'all-or-nothing' (default): with any bad row nothing is
   * written (`imported` 0); 'skip-invalid': the valid rows are written, the refused ones listed. Rows the
   * account's ledger holds already (same content) are skipped and listed in `duplicates`. Instruments
   * the catalogue lacks are resolved (services/import/catalogue-resolver.ts: symbols through the lookup,
   * manual assets as the importer's own) and listed in `addedInstruments`; what stays unknown is listed
   * in `unknownInstruments` with its reason, and a real all-or-nothing run naming any is BAD_REQUEST
   * with data.reason UNKNOWN_INSTRUMENTS and the list in data.unknownInstruments, nothing added. Trades
   * dated after today (a day's allowance for time zones) are refused rows. A dry run reports without
   * writing, exactly what the real run would do.
   */
  import: protectedProcedure
    .input(
      z.strictObject({
        accountId: z.uuid(),
        format: z.enum(IMPORT_FORMATS),
        content: z
          .string()
          .min(1)
          .max(MAX_IMPORT_CHARS)
          .refine(isMultiLineText, 'a text file holds no control characters but tabs and line breaks'),
        dryRun: z.boolean().optional(),
        mode: z.enum(IMPORT_MODES).optional(),
        idempotencyKey: idempotencyKey.optional(),
      }),
    )
    .mutation(({ ctx, input }) => ctx.services.transactions.import(ctx.principal, input, ctx.requestId)),
});
