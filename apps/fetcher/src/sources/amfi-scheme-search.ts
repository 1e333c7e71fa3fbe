import { type InstrumentCandidate, instrumentCandidateSchema } from '@tickfolio/bus';
import type { SourcePolicy } from '../resilience/source-policy';
import { type AmfiNavFile, type AmfiNavRow, parseAmfiNavFile } from './amfi-nav-file';
import { fetchText, joinUrl } from './fetch-text';
import type { InstrumentSearchAdapter } from './search-adapter';

export interface AmfiSchemeSearchOptions {
  /** e.g. https://portal.amfiindia.com; the file is {base}/spages/NAVAll.txt */
  readonly baseUrl: string;
  /** AMFI's policy, shared with the NAV source. */
  readonly policy: SourcePolicy;
  /** How long a downloaded scheme list answers lookups before it is fetched again (AMFI posts it daily). */
  readonly cacheMs?: number;
  readonly id?: string;
  readonly now?: () => number;
}

const ISIN = /^[A-Z]{2}[A-Z0-9]{9}\d$/;
const DEFAULT_CACHE_MS = 60 * 60 * 1000;

/** The scheme's full name: the 8-column file moved plan and option into columns of their own. */
function fullName(row: AmfiNavRow): string {
  const lower = row.schemeName.toLowerCase();
  const parts = [row.schemeName];
  for (const extra of [row.plan, row.option]) {
    if (extra && extra !== '-' && !lower.includes(extra.toLowerCase())) parts.push(extra);
  }
  return parts.join(' - ');
}

/** Whether a row answers the query: its scheme code, either ISIN, or every word of it in the name. */
function matcher(query: string): (row: AmfiNavRow, name: string) => boolean {
  const text = query.trim();
  if (/^\d+$/.test(text)) return (row) => row.schemeCode === text;
  const upper = text.toUpperCase();
  if (ISIN.test(upper)) return (row) => row.isinGrowth === upper || row.isinReinvestment === upper;
  const words = text.toLowerCase().split(/\s+/).filter(Boolean);
  return (_row, name) => {
    const lower = name.toLowerCase();
    return words.every((w) => lower.includes(w));
  };
}

/**
 * AMFI's scheme list, searched locally: the NAVAll.txt file the NAV source reads names every scheme with
 * its code and ISINs, so a lookup by scheme code, ISIN or name needs no search endpoint. The file is
 * downloaded once per `cacheMs` (through AMFI's policy) and searched in memory.
 */
export function createAmfiSchemeSearch(options: AmfiSchemeSearchOptions): InstrumentSearchAdapter {
  const id = options.id ?? 'amfi';
  const now = options.now ?? Date.now;
  const cacheMs = options.cacheMs ?? DEFAULT_CACHE_MS;
  const url = joinUrl(options.baseUrl, 'spages/NAVAll.txt');
  let cached: { at: number; file: Promise<AmfiNavFile> } | undefined;

  function schemeList(signal: AbortSignal): Promise<AmfiNavFile> {
    if (!cached || now() - cached.at > cacheMs) {
      const file = options.policy.execute(
        async (s) => parseAmfiNavFile(await fetchText(url, s, now)),
        signal,
      );
      cached = { at: now(), file };
      // A failed download is not kept: the next lookup tries again.
      file.catch(() => {
        if (cached?.file === file) cached = undefined;
      });
    }
    return cached.file;
  }

  return {
    id,
    async search(query, limit, signal) {
      const file = await schemeList(signal);
      const matches = matcher(query);
      const found: InstrumentCandidate[] = [];
      for (const row of file.rows.values()) {
        if (found.length >= limit) break;
        const name = fullName(row);
        if (!matches(row, name)) continue;
        const parsed = instrumentCandidateSchema.safeParse({
          symbol: row.schemeCode,
          name: name.slice(0, 200),
          exchange: null,
          currency: 'INR',
          assetClass: 'mutual_fund',
          isin: row.isinGrowth ?? row.isinReinvestment ?? null,
          amfiCode: row.schemeCode,
          source: id,
          sourceSymbol: row.schemeCode,
          sources: { [id]: row.schemeCode },
        });
        if (parsed.success) found.push(parsed.data);
      }
      return found;
    },
  };
}
