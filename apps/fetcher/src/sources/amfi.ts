import { formatDecimal, PRICE_SCALE } from '@tickfolio/core';
import type { SourcePolicy } from '../resilience/source-policy';
import { type AmfiNavFile, parseAmfiNavFile } from './amfi-nav-file';
import { indianNavInstant } from './exchange-time';
import { fetchText, joinUrl } from './fetch-text';
import type { InstrumentSourceAdapter, QuoteRequest } from './source-adapter';
import { failed, failureFromError } from './source-failure';
import { collectOutcomes } from './source-outcome';

export interface AmfiOptions {
  /** e.g. https://portal.amfiindia.com; the file is {base}/spages/NAVAll.txt */
  readonly baseUrl: string;
  readonly policy: SourcePolicy;
  readonly id?: string;
  readonly now?: () => number;
}

/**
 * AMFI NAVAll.txt: one download serves every requested scheme code (request.symbol). NAVs are INR,
 * kind 'nav', dated at 15:30 IST of the file's date. 'N.A.' and zero NAVs are skipped (failure 'empty').
 */
export function createAmfiSource(options: AmfiOptions): InstrumentSourceAdapter {
  const id = options.id ?? 'amfi';
  const now = options.now ?? Date.now;
  const url = joinUrl(options.baseUrl, 'spages/NAVAll.txt');

  return {
    id,
    kind: 'instrument',
    async fetchQuotes(requests, signal) {
      if (requests.length === 0) return { quotes: [], failures: [] };
      let file: AmfiNavFile;
      try {
        file = await options.policy.execute(
          async (s) => parseAmfiNavFile(await fetchText(url, s, now)),
          signal,
        );
      } catch (error) {
        return collectOutcomes(requests.map((r) => failureFromError(r, error, signal)));
      }
      return collectOutcomes(requests.map((r) => quoteFor(file, r)));
    },
  };

  function quoteFor(file: AmfiNavFile, request: QuoteRequest) {
    const row = file.rows.get(request.symbol.trim());
    if (!row) return failed(request, 'unknown_symbol', `scheme ${request.symbol} is not in NAVAll.txt`);
    if (request.currency !== 'INR')
      return failed(request, 'invalid', `NAVs are INR, not ${request.currency}`);
    if (row.nav === undefined) return failed(request, 'empty', `NAV is ${JSON.stringify(row.navText)}`);
    if (row.nav === 0n) return failed(request, 'empty', 'NAV is zero');
    return {
      quote: {
        instrument: { instrumentId: request.instrumentId },
        price: formatDecimal(row.nav, PRICE_SCALE),
        currency: 'INR' as const,
        asOf: indianNavInstant(row.date).toISOString(),
        source: id,
        kind: 'nav' as const,
      },
    };
  }
}
