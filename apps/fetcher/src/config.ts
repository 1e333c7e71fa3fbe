import { ConfigError, parseEnv } from '@tickfolio/process';
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

const envSchema = z.object({
  NATS_URL: z.string().min(1).optional(),
  DATABASE_URL: z.url().optional(),
  STREAM_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]*$/, 'letters, digits, _ and - only')
    .default(''),
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
  WEBHOOK_SECRETS: webhookSecrets.default({}),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4100),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SIMULATED_TICK_MS: z.coerce.number().int().min(0).default(0),
});

export interface SourceEndpoints {
  readonly yahooBaseUrl: string;
  readonly alphaVantageBaseUrl: string;
  /** Alpha Vantage is skipped without a key. */
  readonly alphaVantageApiKey: string | null;
  readonly amfiBaseUrl: string;
  readonly mfapiBaseUrl: string;
  readonly fxBaseUrl: string;
}

export interface FetcherConfig {
  readonly natsUrl: string | null;
  readonly databaseUrl: string | null;
  /** Put in front of every stream name and subject (the bus's streamNames); '' in production. */
  readonly streamPrefix: string;
  readonly refreshPeriodSeconds: number;
  /** live: the real providers; simulated: random walks from the stored prices (demo, benchmarks). */
  readonly priceSources: 'live' | 'simulated';
  readonly sources: SourceEndpoints;
  /** A quote older than this sends the selector to the instrument's next source. */
  readonly staleAfterSeconds: number;
  readonly guard: { readonly maxFutureSkewSeconds: number; readonly maxJumpPercent: number };
  /** Per webhook source, the shared HMAC secret; a source without one is refused. */
  readonly webhookSecrets: Readonly<Record<string, string>>;
  readonly http: { readonly host: string; readonly port: number };
  readonly logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  /** Embedded demo: every N ms the simulated source moves a few held instruments; 0 = off. */
  readonly simulatedTickMs: number;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): FetcherConfig {
  const e = parseEnv(envSchema, env);
  return {
    natsUrl: e.NATS_URL ?? null,
    databaseUrl: e.DATABASE_URL ?? null,
    streamPrefix: e.STREAM_PREFIX,
    refreshPeriodSeconds: e.REFRESH_PERIOD_SECONDS,
    priceSources: e.PRICE_SOURCES,
    staleAfterSeconds: e.SOURCE_STALE_AFTER_SECONDS,
    guard: {
      maxFutureSkewSeconds: e.GUARD_MAX_FUTURE_SKEW_SECONDS,
      maxJumpPercent: e.GUARD_MAX_JUMP_PERCENT,
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
    logLevel: e.LOG_LEVEL,
    simulatedTickMs: e.SIMULATED_TICK_MS,
  };
}
