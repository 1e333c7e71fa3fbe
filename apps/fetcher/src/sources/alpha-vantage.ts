import { formatDecimal, PRICE_SCALE, type PriceQuote } from '@tickfolio/core';
import { z } from 'zod';
import { HttpStatusError, ResponseFormatError } from '../resilience/source-errors';
import type { SourcePolicy } from '../resilience/source-policy';
import { zonedInstant } from './exchange-time';
import { fetchText, joinUrl } from './fetch-text';
import { parsePriceText } from './price-text';
import type { InstrumentSourceAdapter, QuoteRequest } from './source-adapter';
import { failed, failureFromError } from './source-failure';
import { collectOutcomes, type Outcome, parseJson } from './source-outcome';

export interface AlphaVantageOptions {
  /** e.g. https://www.alphavantage.co */
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly policy: SourcePolicy;
  readonly id?: string;
  readonly now?: () => number;
}

/** Where each Alpha Vantage symbol suffix trades: its time zone and regular close. No suffix is US. */
const EXCHANGE_CLOSE: Record<string, { timeZone: string; hour: number; minute: number }> = {
  '': { timeZone: 'America/New_York', hour: 16, minute: 0 },
  LON: { timeZone: 'Europe/London', hour: 16, minute: 30 },
  DEX: { timeZone: 'Europe/Berlin', hour: 17, minute: 30 },
  FRK: { timeZone: 'Europe/Berlin', hour: 17, minute: 30 },
  PAR: { timeZone: 'Europe/Paris', hour: 17, minute: 30 },
  AMS: { timeZone: 'Europe/Amsterdam', hour: 17, minute: 30 },
  TRT: { timeZone: 'America/Toronto', hour: 16, minute: 0 },
  BSE: { timeZone: 'Asia/Kolkata', hour: 15, minute: 30 },
  NSE: { timeZone: 'Asia/Kolkata', hour: 15, minute: 30 },
};
const UNKNOWN_EXCHANGE_CLOSE = { timeZone: 'UTC', hour: 23, minute: 59 };

const globalQuoteSchema = z.object({
  '05. price': z.string(),
  '07. latest trading day': z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  '08. previous close': z.string().optional(),
});

const responseSchema = z.object({
  'Global Quote': z.record(z.string(), z.string()).optional(),
  Note: z.string().optional(),
  Information: z.string().optional(),
  'Error Message': z.string().optional(),
});

type AlphaVantageOutcome = Outcome<PriceQuote, QuoteRequest>;

/**
 * Alpha Vantage GLOBAL_QUOTE, one request per symbol: GET {base}/query?function=GLOBAL_QUOTE&symbol=…&apikey=….
 * Every field is a string, parsed exactly. London (.LON) prices are in pence: GBP = pence / 100, exactly.
 * The answer carries only the latest trading day, so asOf is that day's close at the listing's exchange,
 * or now while that close is still ahead (an intraday price). The "Note" and "Information" answers are
 * Alpha Vantage's rate limit (it keeps HTTP 200): treated as a 429, so they back off and count against
 * the circuit. An unknown symbol answers an empty "Global Quote".
 */
export function createAlphaVantageSource(options: AlphaVantageOptions): InstrumentSourceAdapter {
  const id = options.id ?? 'alphavantage';
  const now = options.now ?? Date.now;

  async function fetchOne(request: QuoteRequest, signal: AbortSignal): Promise<AlphaVantageOutcome> {
    const query = new URLSearchParams({
      function: 'GLOBAL_QUOTE',
      symbol: request.symbol,
      apikey: options.apiKey,
    });
    const url = joinUrl(options.baseUrl, `query?${query}`);
    try {
      return await options.policy.execute(
        async (s) => readQuote(url, await fetchText(url, s, now), request),
        signal,
      );
    } catch (error) {
      return failureFromError(request, error, signal);
    }
  }

  function readQuote(url: string, body: string, request: QuoteRequest): AlphaVantageOutcome {
    const parsed = responseSchema.safeParse(parseJson(body));
    if (!parsed.success) throw new ResponseFormatError('not a GLOBAL_QUOTE response');
    const { Note: note, Information: information } = parsed.data;
    const limited = note ?? information;
    if (limited !== undefined) throw new HttpStatusError(url, 429, undefined, limited.slice(0, 200));
    if (parsed.data['Error Message'] !== undefined) {
      return failed(request, 'unknown_symbol', parsed.data['Error Message']);
    }
    const raw = parsed.data['Global Quote'];
    if (raw === undefined || Object.keys(raw).length === 0) {
      return failed(request, 'unknown_symbol', 'empty Global Quote');
    }
    const fields = globalQuoteSchema.safeParse(raw);
    if (!fields.success) throw new ResponseFormatError('GLOBAL_QUOTE without price or trading day');
    const dot = request.symbol.lastIndexOf('.');
    const suffix = dot < 0 ? '' : request.symbol.slice(dot + 1).toUpperCase();
    const inPence = suffix === 'LON' && request.currency === 'GBP';
    const price = (text: string) => formatDecimal(parsePriceText(text, { inPence }), PRICE_SCALE);
    const exchange = EXCHANGE_CLOSE[suffix] ?? UNKNOWN_EXCHANGE_CLOSE;
    const close = zonedInstant(
      fields.data['07. latest trading day'],
      exchange.hour,
      exchange.minute,
      exchange.timeZone,
    ).getTime();
    const at = Math.min(close, now());
    const previous = fields.data['08. previous close'];
    return {
      quote: {
        instrument: { instrumentId: request.instrumentId },
        price: price(fields.data['05. price']),
        ...(previous ? { previousClose: price(previous) } : {}),
        currency: request.currency,
        asOf: new Date(at).toISOString(),
        source: id,
        kind: at < close ? 'trade' : 'close',
      },
    };
  }

  return {
    id,
    kind: 'instrument',
    async fetchQuotes(requests, signal) {
      return collectOutcomes(await Promise.all(requests.map((r) => fetchOne(r, signal))));
    },
  };
}
