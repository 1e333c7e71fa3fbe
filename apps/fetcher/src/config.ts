import { natsUrlSchema } from '@tickfolio/bus';
import { ASSET_CLASSES, type AssetClass, FX_SCALE, PRICE_SCALE, parseDecimal } from '@tickfolio/core';
import { ConfigError, metricsListener, parseEnv } from '@tickfolio/process';
import { z } from 'zod';

export { ConfigError };

/**
 * The fetcher's whole configuration, parsed once from the environment. The only module that reads env.
 * Unset NATS_URL / DATABASE_URL are valid only when the embedding process injects a publisher and a
 * database (the server's embedded mode).
 */
const csv = z.string().transform((s) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean),
);

/** "yahoo=s3cret,acme=other" → { yahoo: 's3cret', acme: 'other' }. */
const webhookSecrets = csv.transform((pairs, ctx) => {
  const secrets: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    const source = pair.slice(0, at).trim();
    const secret = pair.slice(at + 1).trim();
    if (at <= 0 || !/^[a-z0-9_.-]+$/.test(source) || secret.length < 16) {
      ctx.addIssue({ code: 'custom', message: 'expected source=secret pairs, secrets of 16+ characters' });
      return z.NEVER;
    }
    secrets[source] = secret;
  }
  return secrets;
});

/** A positive decimal text with at most `scale` places: one end of a plausible range. */
const plausibleEnd = (scale: number) =>
  z.string().refine((text) => {
    try {
      return /^\d+(\.\d+)?$/.test(text) && parseDecimal(text, scale) > 0n;
    } catch {
      return false;
    }
  }, `expected a positive decimal with at most ${scale} places`);

/** "mutual_fund=10,etf=15" → { mutual_fund: 10, etf: 15 }: jump limits in percent per asset class. */
const jumpLimitsByClass = csv.transform((pairs, ctx) => {
  const limits: Partial<Record<AssetClass, number>> = {};
  for (const pair of pairs) {
    const [assetClass, percent] = pair.split('=').map((x) => x.trim());
    const value = Number(percent);
    if (!ASSET_CLASSES.includes(assetClass as AssetClass) || !(value > 0)) {
      ctx.addIssue({
        code: 'custom',
        message: `expected class=percent pairs, classes ${ASSET_CLASSES.join(', ')}`,
      });
      return z.NEVER;
    }
    limits[assetClass as AssetClass] = value;
  }
  return limits;
});

const envSchema = z.object({
  /** One broker, or every node of a cluster separated by commas. */
  NATS_URL: natsUrlSchema.optional(),
  DATABASE_URL: z.url().optional(),
  STREAM_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]*$/, 'letters, digits, _ and - only')
    .default(''),
  /** Copies of each stream across the broker's nodes; the same in every process of a deployment. */
  STREAM_REPLICAS: z.coerce.number().int().min(1).max(5).default(1),
  // Period ids have minute resolution, so periods are whole minutes.
  REFRESH_PERIOD_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .refine((s) => s % 60 === 0, 'must be a whole number of minutes')
    .default(600),
  YAHOO_BASE_URL: z.url().default('https://query1.finance.yahoo.com'),
  ALPHAVANTAGE_BASE_URL: z.url().default('https://www.alphavantage.co'),
  ALPHAVANTAGE_API_KEY: z.string().min(1).optional(),
  // The NAV file is {AMFI_BASE_URL}/spages/NAVAll.txt.
  AMFI_BASE_URL: z.url().default('https://portal.amfiindia.com'),
  MFAPI_BASE_URL: z.url().default('https://api.mfapi.in'),
  FX_BASE_URL: z.url().default('https://api.frankfurter.dev/v1'),
  PRICE_SOURCES: z.enum(['live', 'simulated']).default('live'),
  SOURCE_STALE_AFTER_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .default(4 * 24 * 3600),
  GUARD_MAX_FUTURE_SKEW_SECONDS: z.coerce.number().int().min(0).default(120),
  GUARD_MAX_JUMP_PERCENT: z.coerce.number().positive().default(20),
  GUARD_MAX_JUMP_PERCENT_BY_CLASS: jumpLimitsByClass.default({}),
  GUARD_MAX_FX_JUMP_PERCENT: z.coerce.number().positive().default(10),
  GUARD_PRICE_MIN: plausibleEnd(PRICE_SCALE).default('0.0001'),
  GUARD_PRICE_MAX: plausibleEnd(PRICE_SCALE).default('100000000'),
  GUARD_FX_RATE_MIN: plausibleEnd(FX_SCALE).default('0.000001'),
  GUARD_FX_RATE_MAX: plausibleEnd(FX_SCALE).default('1000000'),
  GUARD_REFRESH_CONFIRMS: z.enum(['on', 'off']).default('on'),
  WEBHOOK_SECRETS: webhookSecrets.default({}),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4100),
  /**
   * Where GET /metrics is served, apart from the webhook listener (which faces the providers). Unset:
   * 9465, or a free port when PORT is 0; `off`: none.
   */
  METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  METRICS_PORT: z.union([z.literal('off'), z.coerce.number().int().min(0).max(65535)]).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SIMULATED_TICK_MS: z.coerce.number().int().min(0).default(0),
});

/** Every setting's name, for the check that docs/operations.md lists each one. */
export const SETTING_NAMES: readonly string[] = Object.keys(envSchema.shape);

/** What each setting is when unset (undefined: no default), for the check of the documented defaults. */
export function settingDefaults(): Record<string, unknown> {
  return parseEnv(envSchema, {});
}

export interface SourceEndpoints {
  readonly yahooBaseUrl: string;
  readonly alphaVantageBaseUrl: string;
  /** Alpha Vantage is skipped without a key. */
  readonly alphaVantageApiKey: string | null;
  readonly amfiBaseUrl: string;
  readonly mfapiBaseUrl: string;
  readonly fxBaseUrl: string;
}

/**
 * What the quote guard refuses and what it holds. A price or rate outside its plausible range is refused
 * outright; one that moved beyond its jump limit from the last accepted price is held until confirmed.
 */
export interface GuardSettings {
  /** A quote dated further ahead than this is refused. */
  readonly maxFutureSkewSeconds: number;
  /** Instruments' jump limit in percent, unless their asset class has its own. */
  readonly maxJumpPercent: number;
  readonly maxJumpPercentByClass: Readonly<Partial<Record<AssetClass, number>>>;
  readonly maxFxJumpPercent: number;
  /** Plausible prices (any instrument, in its own currency) and FX rates, as decimal texts. */
  readonly priceRange: { readonly min: string; readonly max: string };
  readonly fxRange: { readonly min: string; readonly max: string };
  /** Whether the next full refresh from a held price's own source confirms it (else another source must). */
  readonly refreshConfirms: boolean;
}

export interface FetcherConfig {
  readonly natsUrl: string | null;
  readonly databaseUrl: string | null;
  /** Put in front of every stream name and subject (the bus's streamNames); '' in production. */
  readonly streamPrefix: string;
  /** Copies of each stream across the broker's nodes (the bus's StreamReplication). */
  readonly streamReplicas: number;
  readonly refreshPeriodSeconds: number;
  /** live: the real providers; simulated: random walks from the stored prices (demo, benchmarks). */
  readonly priceSources: 'live' | 'simulated';
  readonly sources: SourceEndpoints;
  /** A quote older than this sends the selector to the instrument's next source. */
  readonly staleAfterSeconds: number;
  readonly guard: GuardSettings;
  /** Per webhook source, the shared HMAC secret; a source without one is refused. */
  readonly webhookSecrets: Readonly<Record<string, string>>;
  readonly http: { readonly host: string; readonly port: number };
  /** The Prometheus listener (GET /metrics); null when turned off. */
  readonly metrics: { readonly host: string; readonly port: number } | null;
  readonly logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  /** Embedded demo: every N ms the simulated source moves a few held instruments; 0 = off. */
  readonly simulatedTickMs: number;
}

function plausibleRange(min: string, max: string, scale: number): { min: string; max: string } {
  if (parseDecimal(min, scale) > parseDecimal(max, scale)) {
    throw new ConfigError(`the plausible range ${min}…${max} is empty: its minimum exceeds its maximum`);
  }
  return { min, max };
}

/** The fetcher's metrics port unless told (the server's is 9464). */
const DEFAULT_METRICS_PORT = 9465;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): FetcherConfig {
  const e = parseEnv(envSchema, env);
  return {
    natsUrl: e.NATS_URL ?? null,
    databaseUrl: e.DATABASE_URL ?? null,
    streamPrefix: e.STREAM_PREFIX,
    streamReplicas: e.STREAM_REPLICAS,
    refreshPeriodSeconds: e.REFRESH_PERIOD_SECONDS,
    priceSources: e.PRICE_SOURCES,
    staleAfterSeconds: e.SOURCE_STALE_AFTER_SECONDS,
    guard: {
      maxFutureSkewSeconds: e.GUARD_MAX_FUTURE_SKEW_SECONDS,
      maxJumpPercent: e.GUARD_MAX_JUMP_PERCENT,
      maxJumpPercentByClass: e.GUARD_MAX_JUMP_PERCENT_BY_CLASS,
      maxFxJumpPercent: e.GUARD_MAX_FX_JUMP_PERCENT,
      priceRange: plausibleRange(e.GUARD_PRICE_MIN, e.GUARD_PRICE_MAX, PRICE_SCALE),
      fxRange: plausibleRange(e.GUARD_FX_RATE_MIN, e.GUARD_FX_RATE_MAX, FX_SCALE),
      refreshConfirms: e.GUARD_REFRESH_CONFIRMS === 'on',
    },
    sources: {
      yahooBaseUrl: e.YAHOO_BASE_URL,
      alphaVantageBaseUrl: e.ALPHAVANTAGE_BASE_URL,
      alphaVantageApiKey: e.ALPHAVANTAGE_API_KEY ?? null,
      amfiBaseUrl: e.AMFI_BASE_URL,
      mfapiBaseUrl: e.MFAPI_BASE_URL,
      fxBaseUrl: e.FX_BASE_URL,
    },
    webhookSecrets: e.WEBHOOK_SECRETS,
    http: { host: e.HOST, port: e.PORT },
    metrics: metricsListener(e.METRICS_HOST, e.METRICS_PORT, e.PORT, DEFAULT_METRICS_PORT),
    logLevel: e.LOG_LEVEL,
    simulatedTickMs: e.SIMULATED_TICK_MS,
  };
}
