import { type InstrumentCandidate, instrumentCandidateSchema } from '@tickfolio/bus';
import type { AssetClass, CurrencyCode } from '@tickfolio/core';
import { z } from 'zod';
import { ResponseFormatError } from '../resilience/source-errors';
import type { SourcePolicy } from '../resilience/source-policy';
import { fetchText, joinUrl } from './fetch-text';
import type { InstrumentSearchAdapter } from './search-adapter';
import { readSourceCurrency } from './source-currency';
import { parseJson } from './source-outcome';
import { YAHOO_EXCHANGES } from './yahoo-exchanges';

export interface YahooSearchOptions {
  /** e.g. https://query1.finance.yahoo.com (query2 serves the same) */
  readonly baseUrl: string;
  /** Yahoo's policy: searches and charts share its rate limit and circuit. */
  readonly policy: SourcePolicy;
  readonly id?: string;
  readonly userAgent?: string;
  readonly now?: () => number;
}

const searchSchema = z.object({
  quotes: z.array(
    z.object({
      symbol: z.string(),
      shortname: z.string().nullish(),
      longname: z.string().nullish(),
      exchange: z.string().nullish(),
      quoteType: z.string().nullish(),
    }),
  ),
});

const chartMetaSchema = z.object({
  chart: z.object({
    result: z.array(z.object({ meta: z.object({ currency: z.string().nullish() }) })).nullish(),
  }),
});

/** Yahoo's quote types the catalogue holds; indices, currencies, futures and the like are left out. */
const ASSET_CLASS: Readonly<Record<string, AssetClass>> = {
  EQUITY: 'stock',
  ETF: 'etf',
  MUTUALFUND: 'mutual_fund',
};

type Quote = z.infer<typeof searchSchema>['quotes'][number];

/**
 * Yahoo Finance search: GET {base}/v1/finance/search?q=…&quotesCount=N&newsCount=0. Its quotes[] give
 * symbol, names, exchange code and quote type, but no currency: each listing's currency is read from
 * the chart endpoint the fetcher prices it with (meta.currency, GBp → GBP), one request per candidate,
 * and only when that fails from the exchange's currency (YAHOO_EXCHANGES). A listing in neither is left
 * out: the catalogue cannot hold an instrument without its currency.
 */
export function createYahooSearch(options: YahooSearchOptions): InstrumentSearchAdapter {
  const id = options.id ?? 'yahoo';
  const now = options.now ?? Date.now;
  const headers = { 'user-agent': options.userAgent ?? 'Mozilla/5.0 (compatible; tickfolio)' };

  async function chartCurrency(symbol: string, signal: AbortSignal): Promise<CurrencyCode | undefined> {
    const url = joinUrl(
      options.baseUrl,
      `v8/finance/chart/${encodeURIComponent(symbol)}?range=1d&interval=1d`,
    );
    try {
      const body = await options.policy.execute((s) => fetchText(url, s, now, headers), signal);
      const parsed = chartMetaSchema.safeParse(parseJson(body));
      const code = parsed.success ? parsed.data.chart.result?.[0]?.meta.currency : undefined;
      return code ? readSourceCurrency(code)?.currency : undefined;
    } catch (error) {
      if (signal.aborted) throw error;
      return undefined;
    }
  }

  async function toCandidate(quote: Quote, signal: AbortSignal): Promise<InstrumentCandidate | undefined> {
    const assetClass = ASSET_CLASS[quote.quoteType ?? ''];
    if (!assetClass) return undefined;
    const exchange = quote.exchange ? YAHOO_EXCHANGES[quote.exchange] : undefined;
    const currency = (await chartCurrency(quote.symbol, signal)) ?? exchange?.currency;
    const parsed = instrumentCandidateSchema.safeParse({
      symbol: quote.symbol,
      name: quote.longname ?? quote.shortname ?? quote.symbol,
      exchange: exchange?.mic ?? quote.exchange ?? null,
      currency,
      assetClass,
      isin: null,
      amfiCode: null,
      source: id,
      sourceSymbol: quote.symbol,
      sources: { [id]: quote.symbol },
    });
    return parsed.success ? parsed.data : undefined;
  }

  return {
    id,
    async search(query, limit, signal) {
      const url = joinUrl(
        options.baseUrl,
        `v1/finance/search?q=${encodeURIComponent(query)}&quotesCount=${limit}&newsCount=0&listsCount=0`,
      );
      const body = await options.policy.execute((s) => fetchText(url, s, now, headers), signal);
      const parsed = searchSchema.safeParse(parseJson(body));
      if (!parsed.success) throw new ResponseFormatError('not a Yahoo search response');
      const usable = parsed.data.quotes.filter((q) => ASSET_CLASS[q.quoteType ?? '']).slice(0, limit);
      const candidates = await Promise.all(usable.map((q) => toCandidate(q, signal)));
      return candidates.filter((c): c is InstrumentCandidate => c !== undefined);
    },
  };
}
