import { formatDecimal, PRICE_SCALE, type PriceQuote } from '@tickfolio/core';
import { z } from 'zod';
import { ResponseFormatError } from '../resilience/source-errors';
import type { SourcePolicy } from '../resilience/source-policy';
import { indianNavInstant, isoDateFromDayMonthYear } from './exchange-time';
import { fetchText, joinUrl } from './fetch-text';
import { parsePriceText } from './price-text';
import type { InstrumentSourceAdapter, QuoteRequest } from './source-adapter';
import { failed, failureFromError } from './source-failure';
import { collectOutcomes, type Outcome, parseJson } from './source-outcome';

export interface MfapiOptions {
  /** e.g. https://api.mfapi.in */
  readonly baseUrl: string;
  readonly policy: SourcePolicy;
  readonly id?: string;
  readonly now?: () => number;
}

const historySchema = z.object({
  data: z.array(z.object({ date: z.string(), nav: z.string() })),
});

type MfapiOutcome = Outcome<PriceQuote, QuoteRequest>;

/**
 * mfapi.in NAV history, one request per scheme code: GET {base}/mf/{schemeCode}. The newest NAV is
 * data[0] and the one before data[1] (dates dd-mm-yyyy, NAV strings). An unknown scheme answers 200 with
 * empty meta and `data: []`, a non-numeric code 400: both are 'unknown_symbol'.
 */
export function createMfapiSource(options: MfapiOptions): InstrumentSourceAdapter {
  const id = options.id ?? 'mfapi';
  const now = options.now ?? Date.now;

  async function fetchOne(request: QuoteRequest, signal: AbortSignal): Promise<MfapiOutcome> {
    const url = joinUrl(options.baseUrl, `mf/${encodeURIComponent(request.symbol.trim())}`);
    try {
      return await options.policy.execute(
        async (s) => readHistory(await fetchText(url, s, now), request),
        signal,
      );
    } catch (error) {
      return failureFromError(request, error, signal, [400, 404]);
    }
  }

  function readHistory(body: string, request: QuoteRequest): MfapiOutcome {
    const parsed = historySchema.safeParse(parseJson(body));
    if (!parsed.success) throw new ResponseFormatError('not an mfapi NAV history');
    const [latest, previous] = parsed.data.data;
    if (!latest) return failed(request, 'unknown_symbol', `scheme ${request.symbol} has no NAV history`);
    if (request.currency !== 'INR')
      return failed(request, 'invalid', `NAVs are INR, not ${request.currency}`);
    const date = isoDateFromDayMonthYear(latest.date);
    if (date === undefined)
      throw new ResponseFormatError(`unreadable NAV date ${JSON.stringify(latest.date)}`);
    const nav = (text: string) => formatDecimal(parsePriceText(text, { inPence: false }), PRICE_SCALE);
    return {
      quote: {
        instrument: { instrumentId: request.instrumentId },
        price: nav(latest.nav),
        ...(previous ? { previousClose: nav(previous.nav) } : {}),
        currency: 'INR',
        asOf: indianNavInstant(date).toISOString(),
        source: id,
        kind: 'nav',
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
