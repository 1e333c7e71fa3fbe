import { createSourcePolicy, type SourcePolicy, type SourcePolicyOptions } from '../resilience/source-policy';
import { createAlphaVantageSource } from './alpha-vantage';
import { createAmfiSource } from './amfi';
import { createAmfiSchemeSearch } from './amfi-scheme-search';
import { createFrankfurterFxSource } from './frankfurter-fx';
import { createMfapiSource } from './mfapi';
import { createMfapiSearch } from './mfapi-search';
import type { InstrumentSearchAdapter } from './search-adapter';
import { createSimulatedFxSource, createSimulatedSource } from './simulated';
import type { QuoteRequest, SourceAdapter } from './source-adapter';
import { createSourceRegistry, type SourceRegistry } from './source-registry';
import { createYahooChartSource } from './yahoo-chart';
import { createYahooSearch } from './yahoo-search';

export type PolicySettings = Omit<SourcePolicyOptions, 'sourceId' | 'now' | 'sleep'>;

export const DEFAULT_POLICY_SETTINGS: PolicySettings = {
  retries: 3,
  backoff: { initialDelayMs: 250, maxDelayMs: 10_000 },
  circuitBreaker: { consecutiveFailures: 5, openMs: 60_000 },
  timeoutMs: 10_000,
  maxRetryAfterMs: 120_000,
  concurrency: 4,
};

/** Per-source defaults that differ: Alpha Vantage's free tier allows 5 calls a minute. */
const SOURCE_DEFAULTS: Readonly<Record<string, Partial<PolicySettings>>> = {
  yahoo: { rateLimit: { requests: 5, perSeconds: 1 } },
  alphavantage: { rateLimit: { requests: 5, perSeconds: 60 }, concurrency: 1 },
  mfapi: { rateLimit: { requests: 10, perSeconds: 1 } },
};

interface Remote {
  readonly baseUrl: string;
  readonly policy?: Partial<PolicySettings>;
}

/** Which sources run, from the config; a source left out is not registered. */
export interface SourceSettings {
  /** Defaults for every source's policy (each source may override). */
  readonly policy?: Partial<PolicySettings>;
  readonly yahoo?: Remote;
  readonly alphavantage?: Remote & { readonly apiKey: string };
  readonly amfi?: Remote;
  readonly mfapi?: Remote;
  readonly frankfurter?: Remote;
  readonly simulated?: {
    readonly seed: number;
    readonly stepBasisPoints: number;
    readonly startPrice?: (request: QuoteRequest) => string | undefined;
    readonly previousClose?: (request: QuoteRequest) => string | undefined;
    readonly startRates?: Readonly<Record<string, string>>;
  };
}

export interface BuiltSources {
  readonly registry: SourceRegistry;
  /** The symbol lookup's sources, best first: Yahoo, AMFI's scheme list, mfapi (those configured). */
  readonly searchers: readonly InstrumentSearchAdapter[];
  /** Each remote source's policy, by source id: circuit state and counters for metrics. */
  readonly policies: ReadonlyMap<string, SourcePolicy>;
}

/** Builds the adapters and their policies from plain settings (the composition root reads the env). */
export function buildSources(settings: SourceSettings, now: () => number = Date.now): BuiltSources {
  const policies = new Map<string, SourcePolicy>();
  const policyFor = (sourceId: string, own: Partial<PolicySettings> | undefined): SourcePolicy => {
    const policy = createSourcePolicy({
      ...DEFAULT_POLICY_SETTINGS,
      ...SOURCE_DEFAULTS[sourceId],
      ...settings.policy,
      ...own,
      sourceId,
      now,
    });
    policies.set(sourceId, policy);
    return policy;
  };
  /** What every remote adapter is built with: its base URL, its policy, the clock. */
  const remote = (sourceId: string, { baseUrl, policy }: Remote) => ({
    baseUrl,
    policy: policyFor(sourceId, policy),
    now,
  });
  const adapters: SourceAdapter[] = [];
  const searchers: InstrumentSearchAdapter[] = [];
  const { yahoo, alphavantage, amfi, mfapi, frankfurter, simulated } = settings;
  // A source's search shares its quotes' policy: one rate limit and one circuit per provider.
  if (yahoo) {
    const built = remote('yahoo', yahoo);
    adapters.push(createYahooChartSource(built));
    searchers.push(createYahooSearch(built));
  }
  if (alphavantage) {
    adapters.push(
      createAlphaVantageSource({ ...remote('alphavantage', alphavantage), apiKey: alphavantage.apiKey }),
    );
  }
  if (amfi) {
    const built = remote('amfi', amfi);
    adapters.push(createAmfiSource(built));
    searchers.push(createAmfiSchemeSearch(built));
  }
  if (mfapi) {
    const built = remote('mfapi', mfapi);
    adapters.push(createMfapiSource(built));
    searchers.push(createMfapiSearch(built));
  }
  if (frankfurter) adapters.push(createFrankfurterFxSource(remote('frankfurter', frankfurter)));
  if (simulated) {
    const walk = { seed: simulated.seed, stepBasisPoints: simulated.stepBasisPoints, now };
    adapters.push(
      createSimulatedSource({
        ...walk,
        ...(simulated.startPrice ? { startPrice: simulated.startPrice } : {}),
        ...(simulated.previousClose ? { previousClose: simulated.previousClose } : {}),
      }),
    );
    adapters.push(
      createSimulatedFxSource({
        ...walk,
        ...(simulated.startRates ? { startRates: simulated.startRates } : {}),
      }),
    );
  }
  return { registry: createSourceRegistry(adapters), searchers, policies };
}
