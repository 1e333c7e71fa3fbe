import {
  type CurrencyCode,
  DecimalFormatError,
  FX_SCALE,
  type FxQuote,
  formatDecimal,
  parseDecimal,
} from '@tickfolio/core';
import { z } from 'zod';
import { ResponseFormatError } from '../resilience/source-errors';
import type { SourcePolicy } from '../resilience/source-policy';
import { zonedInstant } from './exchange-time';
import { fetchText, joinUrl } from './fetch-text';
import { jsonNumberText, withoutDoubleNoise } from './price-text';
import type { FxPairRequest, FxSourceAdapter } from './source-adapter';
import { failed, failureFromError } from './source-failure';
import { collectOutcomes, type Outcome, parseJson } from './source-outcome';

export interface FrankfurterOptions {
  /** e.g. https://api.frankfurter.dev/v1 */
  readonly baseUrl: string;
  readonly policy: SourcePolicy;
  readonly id?: string;
  readonly now?: () => number;
}

const latestSchema = z.object({
  amount: z.number(),
  base: z.string(),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  rates: z.record(z.string(), z.number()),
});

type FxOutcome = Outcome<FxQuote, FxPairRequest>;

/**
 * Frankfurter (ECB reference rates), one request per base currency:
 * GET {base}/latest?from=USD&to=EUR,GBP → { amount: 1, base: "USD", date: "2025-02-25", rates: { EUR: 0.95557 } }.
 * Rates are short JSON numbers (5 significant digits), so String(n) gives back their text exactly; it is
 * parsed strictly at FX_SCALE. ECB rates are set around 16:00 CET: that is asOf (or now, if still ahead).
 */
export function createFrankfurterFxSource(options: FrankfurterOptions): FxSourceAdapter {
  const id = options.id ?? 'frankfurter';
  const now = options.now ?? Date.now;

  async function fetchBase(
    base: CurrencyCode,
    pairs: FxPairRequest[],
    signal: AbortSignal,
  ): Promise<FxOutcome[]> {
    const query = new URLSearchParams({ from: base, to: pairs.map((p) => p.quote).join(',') });
    const url = joinUrl(options.baseUrl, `latest?${query}`);
    try {
      return await options.policy.execute(
        async (s) => readRates(await fetchText(url, s, now), base, pairs),
        signal,
      );
    } catch (error) {
      return pairs.map((p) => failureFromError(p, error, signal, [404]));
    }
  }

  function readRates(body: string, base: CurrencyCode, pairs: FxPairRequest[]): FxOutcome[] {
    const parsed = latestSchema.safeParse(parseJson(body));
    if (!parsed.success) throw new ResponseFormatError('not a Frankfurter latest response');
    const { amount, date, rates } = parsed.data;
    if (amount !== 1 || parsed.data.base !== base) {
      throw new ResponseFormatError(`rates for ${amount} ${parsed.data.base}, asked for 1 ${base}`);
    }
    const asOf = new Date(
      Math.min(zonedInstant(date, 16, 0, 'Europe/Berlin').getTime(), now()),
    ).toISOString();
    return pairs.map((pair): FxOutcome => {
      const value = rates[pair.quote];
      if (value === undefined) return failed(pair, 'unknown_symbol', `no ${base}/${pair.quote} rate`);
      let rate: bigint;
      try {
        // As quoted: a rate carrying a double's noise (1.0832000000000002) is the rate it was (1.0832).
        rate = parseDecimal(withoutDoubleNoise(jsonNumberText(value, `rates.${pair.quote}`)), FX_SCALE);
      } catch (e) {
        if (e instanceof DecimalFormatError || e instanceof ResponseFormatError) {
          return failed(pair, 'invalid', e.message);
        }
        throw e;
      }
      return { quote: { base, quote: pair.quote, rate: formatDecimal(rate, FX_SCALE), asOf, source: id } };
    });
  }

  return {
    id,
    kind: 'fx',
    async fetchRates(pairs, signal) {
      const byBase = new Map<CurrencyCode, FxPairRequest[]>();
      const outcomes: FxOutcome[] = [];
      for (const pair of pairs) {
        if (pair.base === pair.quote) {
          outcomes.push(failed(pair, 'invalid', 'base and quote are the same currency'));
          continue;
        }
        byBase.set(pair.base, [...(byBase.get(pair.base) ?? []), pair]);
      }
      const fetched = await Promise.all([...byBase].map(([base, group]) => fetchBase(base, group, signal)));
      return collectOutcomes([...outcomes, ...fetched.flat()]);
    },
  };
}
