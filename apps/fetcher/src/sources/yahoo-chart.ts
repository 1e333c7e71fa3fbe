import { formatDecimal, PRICE_SCALE, type PriceQuote } from '@tickfolio/core';
import { z } from 'zod';
import { ResponseFormatError } from '../resilience/source-errors';
import type { SourcePolicy } from '../resilience/source-policy';
import { fetchText, joinUrl } from './fetch-text';
import { float32NumberText, jsonNumberText, parsePriceText } from './price-text';
import type { InstrumentSourceAdapter, QuoteRequest } from './source-adapter';
import { readSourceCurrency } from './source-currency';
import { failed, failureFromError } from './source-failure';
import { collectOutcomes, type Outcome, parseJson } from './source-outcome';

export interface YahooChartOptions {
  /** e.g. https://query1.finance.yahoo.com */
  readonly baseUrl: string;
  readonly policy: SourcePolicy;
  readonly id?: string;
  readonly userAgent?: string;
  readonly now?: () => number;
}

const optionalNumber = z.number().nullish();

const chartSchema = z.object({
  chart: z.object({
    result: z
      .array(
        z.object({
          meta: z.object({
            currency: z.string().nullish(),
            regularMarketPrice: optionalNumber,
            regularMarketTime: optionalNumber,
            previousClose: optionalNumber,
            chartPreviousClose: optionalNumber,
            range: z.string().nullish(),
            /** Decimals the price is quoted with (2 for most listings, 4 for some currencies and pennies). */
            priceHint: z.number().int().min(0).max(8).nullish(),
            currentTradingPeriod: z.object({ regular: z.object({ end: z.number() }) }).nullish(),
          }),
        }),
      )
      .nullish(),
    error: z.object({ code: z.string().nullish(), description: z.string().nullish() }).nullish(),
  }),
});

type ChartMeta = NonNullable<z.infer<typeof chartSchema>['chart']['result']>[number]['meta'];
type YahooOutcome = Outcome<PriceQuote, QuoteRequest>;

/**
 * Yahoo Finance chart v8, one request per symbol: GET {base}/v8/finance/chart/{symbol}?range=1d&interval=1d.
 * Price = meta.regularMarketPrice at meta.regularMarketTime, in meta.currency (GBp/GBX pence → GBP),
 * rounded half to even to meta.priceHint decimals (Yahoo's floats carry artefacts: 44.04999923706055).
 * The previous close is meta.previousClose, or chartPreviousClose when the chart spans one day (over a
 * longer range chartPreviousClose is the close before the range began, not yesterday's).
 * An unknown symbol answers 404 with a chart error; Yahoo refuses requests without a browser-like agent.
 */
export function createYahooChartSource(options: YahooChartOptions): InstrumentSourceAdapter {
  const id = options.id ?? 'yahoo';
  const now = options.now ?? Date.now;
  const headers = { 'user-agent': options.userAgent ?? 'Mozilla/5.0 (compatible; tickfolio)' };

  async function fetchOne(request: QuoteRequest, signal: AbortSignal): Promise<YahooOutcome> {
    const url = joinUrl(
      options.baseUrl,
      `v8/finance/chart/${encodeURIComponent(request.symbol)}?range=1d&interval=1d`,
    );
    try {
      // Reading the body is inside the policy so that malformed answers count against the source's health.
      return await options.policy.execute(
        async (s) => readChart(await fetchText(url, s, now, headers), request),
        signal,
      );
    } catch (error) {
      return failureFromError(request, error, signal);
    }
  }

  function readChart(body: string, request: QuoteRequest): YahooOutcome {
    const parsed = chartSchema.safeParse(parseJson(body));
    if (!parsed.success) throw new ResponseFormatError('not a chart v8 response');
    const { result, error } = parsed.data.chart;
    const meta = result?.[0]?.meta;
    if (!meta) return failed(request, 'unknown_symbol', error?.description ?? 'no chart result');
    return quoteFromMeta(meta, request);
  }

  function quoteFromMeta(meta: ChartMeta, request: QuoteRequest): YahooOutcome {
    if (meta.regularMarketPrice == null || meta.regularMarketTime == null || !meta.currency) {
      return failed(request, 'empty', 'no regular market price');
    }
    const listing = readSourceCurrency(meta.currency);
    if (listing?.currency !== request.currency) {
      return failed(
        request,
        'invalid',
        `quoted in ${meta.currency}, the instrument trades in ${request.currency}`,
      );
    }
    // Yahoo keeps prices as 32-bit floats: rounded to the quote's own decimals (priceHint), or without one
    // read as the shortest decimal that float came from (see ./price-text).
    const hint = meta.priceHint ?? undefined;
    const price = (n: unknown, field: string) =>
      formatDecimal(
        parsePriceText(hint === undefined ? float32NumberText(n, field) : jsonNumberText(n, field), {
          inPence: listing.inPence,
          places: hint ?? PRICE_SCALE,
        }),
        PRICE_SCALE,
      );
    const previous = meta.previousClose ?? (meta.range === '1d' ? meta.chartPreviousClose : undefined);
    const closesAt = meta.currentTradingPeriod?.regular.end;
    const quote: PriceQuote = {
      instrument: { instrumentId: request.instrumentId },
      price: price(meta.regularMarketPrice, 'regularMarketPrice'),
      ...(previous != null ? { previousClose: price(previous, 'previousClose') } : {}),
      currency: listing.currency,
      asOf: new Date(meta.regularMarketTime * 1000).toISOString(),
      source: id,
      kind: closesAt !== undefined && meta.regularMarketTime >= closesAt ? 'close' : 'trade',
    };
    return { quote };
  }

  return {
    id,
    kind: 'instrument',
    async fetchQuotes(requests, signal) {
      return collectOutcomes(await Promise.all(requests.map((r) => fetchOne(r, signal))));
    },
  };
}
