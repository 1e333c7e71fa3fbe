import { ASSET_CLASSES, type AssetClass } from '@tickfolio/core';
import type { SourceEndpoints } from '../config';
import type { SourcePolicy } from '../resilience/source-policy';
import { buildSources, type PolicySettings } from '../sources/build-sources';
import type { InstrumentSearchAdapter } from '../sources/search-adapter';
import type { SourceRegistry } from '../sources/source-registry';
import { DEFAULT_SOURCE_PRIORITIES } from '../sources/source-selector';

/** The sources a fetcher asks: the registry (FX sources in it best first) and the instrument priorities. */
export interface SourceSet {
  readonly registry: SourceRegistry;
  readonly priorities: Readonly<Partial<Record<AssetClass, readonly string[]>>>;
  /** What the symbol lookup asks, best first; none for the simulated set (it knows no instruments). */
  readonly searchers: readonly InstrumentSearchAdapter[];
  /** Each remote source's resilience policy (its circuit, for metrics); none for the simulated set. */
  readonly policies?: ReadonlyMap<string, SourcePolicy>;
}

/**
 * The real providers at the configured addresses; Alpha Vantage only with a key. `policy` applies to
 * every source (tests lift the rate limits with { rateLimit: undefined }).
 */
export function liveSourceSet(
  endpoints: SourceEndpoints,
  now: () => number,
  policy: Partial<PolicySettings> = {},
): SourceSet {
  const { registry, searchers, policies } = buildSources(
    {
      policy,
      yahoo: { baseUrl: endpoints.yahooBaseUrl },
      ...(endpoints.alphaVantageApiKey !== null
        ? { alphavantage: { baseUrl: endpoints.alphaVantageBaseUrl, apiKey: endpoints.alphaVantageApiKey } }
        : {}),
      amfi: { baseUrl: endpoints.amfiBaseUrl },
      mfapi: { baseUrl: endpoints.mfapiBaseUrl },
      frankfurter: { baseUrl: endpoints.fxBaseUrl },
    },
    now,
  );
  return { registry, priorities: DEFAULT_SOURCE_PRIORITIES, searchers, policies };
}

export interface SimulatedStart {
  /** Starting price (decimal text) per instrument id: the latest stored one. */
  readonly prices: ReadonlyMap<string, string>;
  /** Each instrument's stored close before today (UTC): the previous close its first quotes carry. */
  readonly previousCloses?: ReadonlyMap<string, string>;
  /** Starting rate per pair, keyed "USDEUR". */
  readonly rates: Readonly<Record<string, string>>;
}

/** Random walks from the stored prices, for every instrument and pair: the demo and the benchmarks. */
export function simulatedSourceSet(start: SimulatedStart, now: () => number, seed = 20261125): SourceSet {
  const { registry } = buildSources(
    {
      simulated: {
        seed,
        stepBasisPoints: 25,
        startPrice: (request) => start.prices.get(request.instrumentId),
        previousClose: (request) => start.previousCloses?.get(request.instrumentId),
        startRates: start.rates,
      },
    },
    now,
  );
  const everywhere = ['simulated'];
  return {
    registry,
    priorities: Object.fromEntries(ASSET_CLASSES.map((c) => [c, everywhere])),
    searchers: [],
  };
}
