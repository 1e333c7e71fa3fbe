import { type InstrumentCandidate, instrumentCandidateSchema } from '@tickfolio/bus';
import { z } from 'zod';
import { ResponseFormatError } from '../resilience/source-errors';
import type { SourcePolicy } from '../resilience/source-policy';
import { fetchText, joinUrl } from './fetch-text';
import type { InstrumentSearchAdapter } from './search-adapter';
import { parseJson } from './source-outcome';

export interface MfapiSearchOptions {
  /** e.g. https://api.mfapi.in */
  readonly baseUrl: string;
  /** mfapi's policy, shared with its NAV source. */
  readonly policy: SourcePolicy;
  readonly id?: string;
  readonly now?: () => number;
}

const searchSchema = z.array(
  z.object({ schemeCode: z.union([z.number().int(), z.string()]), schemeName: z.string() }),
);

/**
 * mfapi.in scheme search: GET {base}/mf/search?q=… answers [{ schemeCode, schemeName }] (codes as
 * numbers). Schemes are Indian mutual funds in INR; mfapi gives no ISIN, which AMFI's list adds when
 * both find the same scheme code (the lookup merges them).
 */
export function createMfapiSearch(options: MfapiSearchOptions): InstrumentSearchAdapter {
  const id = options.id ?? 'mfapi';
  const now = options.now ?? Date.now;
  return {
    id,
    async search(query, limit, signal) {
      const url = joinUrl(options.baseUrl, `mf/search?q=${encodeURIComponent(query)}`);
      const body = await options.policy.execute((s) => fetchText(url, s, now), signal);
      const parsed = searchSchema.safeParse(parseJson(body));
      if (!parsed.success) throw new ResponseFormatError('not an mfapi search response');
      const found: InstrumentCandidate[] = [];
      for (const scheme of parsed.data) {
        if (found.length >= limit) break;
        const code = String(scheme.schemeCode).trim();
        const candidate = instrumentCandidateSchema.safeParse({
          symbol: code,
          name: scheme.schemeName.trim().slice(0, 200),
          exchange: null,
          currency: 'INR',
          assetClass: 'mutual_fund',
          isin: null,
          amfiCode: code,
          source: id,
          sourceSymbol: code,
          sources: { [id]: code },
        });
        if (candidate.success) found.push(candidate.data);
      }
      return found;
    },
  };
}
