import type { ValuerConsumerSettings } from '@tickfolio/bus';
import { ConfigError, parseEnv } from '@tickfolio/process';
import { z } from 'zod';

export { ConfigError };

/**
 * The server's whole configuration, parsed once from the environment. The only module that reads env.
 * Unset DATABASE_URL / REDIS_URL / NATS_URL select the embedded stand-ins (PGlite under
 * TICKFOLIO_DATA_DIR, an in-memory cache and rate limiter, an in-process bus).
 */
const csv = z.string().transform((s) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean),
);

const msList = z.string().transform((s, ctx) => {
  const parts = s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  if (parts.some((p) => !/^[1-9][0-9]{0,8}$/.test(p))) {
    ctx.addIssue({ code: 'custom', message: 'must be comma-separated positive millisecond counts' });
    return z.NEVER;
  }
  return parts.map((p) => Number(p));
});

const envSchema = z.object({
  DATABASE_URL: z.url().optional(),
  REDIS_URL: z.url().optional(),
  REDIS_KEY_PREFIX: z.string().min(1).default('tickfolio:'),
  NATS_URL: z.string().min(1).optional(),
  TICKFOLIO_DATA_DIR: z.string().min(1).default('.data'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  PUBLIC_URL: z.url().optional(),
  TLS_CERT_FILE: z.string().min(1).optional(),
  TLS_KEY_FILE: z.string().min(1).optional(),
  CORS_ORIGINS: csv.default([]),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(1_048_576),
  IMPORT_BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(6 * 1_048_576),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  JWT_ISSUER: z.string().min(1).default('tickfolio'),
  JWT_AUDIENCE: z.string().min(1).default('tickfolio-api'),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(3600).default(900),
  REFRESH_TOKEN_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(300)
    .default(30 * 24 * 3600),
  RATE_LIMIT_IP_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  RATE_LIMIT_USER_PER_MINUTE: z.coerce.number().int().min(1).default(1200),
  RATE_LIMIT_LOGIN_PER_15_MINUTES: z.coerce.number().int().min(1).default(10),
  VALUATION_CACHE_TTL_SECONDS: z.coerce.number().int().min(1).default(600),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DEMO_SEED: z.coerce.number().int().default(20261125),
  DEMO_INVESTORS: z.coerce.number().int().min(1).max(100_000).default(250),
  DEMO_DATA: z.enum(['on', 'off']).default('on'),
  /** Put in front of every stream name and subject (see the bus's streamNames); isolates test runs. */
  STREAM_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]*$/)
    .default(''),
  VALUER_CONSUMER: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/)
    .default('valuer'),
  VALUER_ACK_WAIT_MS: z.coerce.number().int().min(100).default(30_000),
  VALUER_MAX_DELIVER: z.coerce.number().int().min(2).max(100).default(5),
  /** Delays before redeliveries; JetStream takes the first as the AckWait when given. */
  VALUER_BACKOFF_MS: msList.default([30_000, 60_000, 120_000, 300_000]),
  VALUER_MAX_ACK_PENDING: z.coerce.number().int().min(1).default(1000),
  /** How often the cached totals of the owners live prices moved are written (one pipelined flush). */
  VALUATION_FLUSH_MS: z.coerce.number().int().min(10).default(1000),
  LIVE_QUEUE_LIMIT: z.coerce.number().int().min(1).max(100_000).default(1000),
  LIVE_ACCESS_RECHECK_MS: z.coerce.number().int().min(50).default(5000),
  /** A live stream silent this long gets a ping; below the client's 40 s before it reconnects. */
  LIVE_PING_MS: z.coerce.number().int().min(20).max(30_000).default(15_000),
  /** A WebSocket with more than this waiting unsent (its client stopped reading) is dropped. */
  LIVE_SOCKET_BUFFER_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(64 * 1024)
    .default(4 * 1024 * 1024),
  /**
   * At most ~33 events a second per portfolio: each frame carries the newest totals, and the newest tick
   * in it has waited at most this long, so the frame sets most of a portfolio.live p99 (see
   * docs/BENCHMARKS.md: 50 ms frames missed the 50 ms target, 30 ms ones met it). Shorter frames cost
   * the server a derivation and a socket write per portfolio per frame.
   */
  LIVE_PORTFOLIO_FRAME_MS: z.coerce.number().int().min(0).max(10_000).default(30),
  /**
   * Shorter than portfolio frames: a book frame carries every client that moved, each with its own
   * newest tick, so a client's tick waits for the next frame however busy the book (a portfolio frame
   * carries one newest tick, usually recent). A book has few streams (one per advisor), so 40 frames a
   * second cost little; a large book sends up to one line per client per frame (raise it for those).
   */
  LIVE_BOOK_FRAME_MS: z.coerce.number().int().min(0).max(60_000).default(25),
  /** A price ticker conflated to 50 frames a second: one write per frame, not per tick (1,000 a second). */
  LIVE_PRICES_FRAME_MS: z.coerce.number().int().min(0).max(10_000).default(20),
  /** Embedded mode: how often the in-process fetcher's simulated source moves prices; 0 = no feed. */
  SIMULATED_TICK_MS: z.coerce.number().int().min(0).default(1000),
});

export type DatabaseConfig = { kind: 'postgres'; url: string } | { kind: 'pglite'; dataDir: string };

export interface ServerConfig {
  readonly database: DatabaseConfig;
  readonly redisUrl: string | null;
  /** Prefix of every Redis key this deployment writes (cache and rate limits). */
  readonly redisKeyPrefix: string;
  readonly natsUrl: string | null;
  readonly dataDir: string;
  readonly http: {
    readonly host: string;
    readonly port: number;
    readonly publicUrl: string | null;
    readonly tls: { readonly certFile: string; readonly keyFile: string } | null;
    readonly corsOrigins: readonly string[];
    readonly bodyLimitBytes: number;
    /** transactions.import carries whole files (up to 5 MB of content). */
    readonly importBodyLimitBytes: number;
  };
  readonly auth: {
    /** Null only in embedded mode, where a random per-data-dir secret is used. */
    readonly jwtSecret: string | null;
    readonly issuer: string;
    readonly audience: string;
    readonly accessTokenTtlSeconds: number;
    readonly refreshTokenTtlSeconds: number;
  };
  readonly rateLimits: {
    readonly ipPerMinute: number;
    readonly userPerMinute: number;
    readonly loginPer15Minutes: number;
  };
  readonly valuationCacheTtlSeconds: number;
  readonly logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  readonly pipeline: {
    readonly streamPrefix: string;
    /** The valuer's consumer; the streams' settings are the bus's own, not configurable. */
    readonly valuer: ValuerConsumerSettings;
    /** How often the owners live prices moved get their cached totals patched. */
    readonly totalsFlushMs: number;
    /** Embedded mode only: the simulated feed's tick; 0 runs no feed. */
    readonly simulatedTickMs: number;
  };
  readonly live: {
    readonly queueLimit: number;
    readonly accessRecheckMs: number;
    /** How long a live stream may stay silent before it is sent a ping. */
    readonly pingMs: number;
    /** Most bytes a WebSocket may have waiting unsent before it is dropped. */
    readonly socketBufferLimitBytes: number;
    /** Least time between two events of one portfolio.live stream (a burst leaves as its latest). */
    readonly portfolioFrameMs: number;
    /** Least time between two frames of an advisor's book. */
    readonly bookFrameMs: number;
    /** Least time between two frames of a prices.live stream. */
    readonly pricesFrameMs: number;
  };
  /** Demo data loaded into an empty database on start; null to start empty. */
  readonly demo: { readonly seed: number; readonly investors: number } | null;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const e = parseEnv(envSchema, env);
  if (e.DATABASE_URL && !e.JWT_SECRET) {
    // Replicas sharing a database must share the signing secret.
    throw new ConfigError('invalid configuration: JWT_SECRET is required when DATABASE_URL is set');
  }
  if (Boolean(e.TLS_CERT_FILE) !== Boolean(e.TLS_KEY_FILE)) {
    throw new ConfigError('invalid configuration: TLS_CERT_FILE and TLS_KEY_FILE go together');
  }
  if (e.VALUER_BACKOFF_MS.length >= e.VALUER_MAX_DELIVER) {
    // JetStream refuses a backoff list that is not shorter than MaxDeliver.
    throw new ConfigError(
      'invalid configuration: VALUER_BACKOFF_MS must list fewer delays than VALUER_MAX_DELIVER',
    );
  }
  return {
    database: e.DATABASE_URL
      ? { kind: 'postgres', url: e.DATABASE_URL }
      : { kind: 'pglite', dataDir: `${e.TICKFOLIO_DATA_DIR}/pglite` },
    redisUrl: e.REDIS_URL ?? null,
    redisKeyPrefix: e.REDIS_KEY_PREFIX,
    natsUrl: e.NATS_URL ?? null,
    dataDir: e.TICKFOLIO_DATA_DIR,
    http: {
      host: e.HOST,
      port: e.PORT,
      publicUrl: e.PUBLIC_URL ?? null,
      tls: e.TLS_CERT_FILE && e.TLS_KEY_FILE ? { certFile: e.TLS_CERT_FILE, keyFile: e.TLS_KEY_FILE } : null,
      corsOrigins: e.CORS_ORIGINS,
      bodyLimitBytes: e.BODY_LIMIT_BYTES,
      importBodyLimitBytes: e.IMPORT_BODY_LIMIT_BYTES,
    },
    auth: {
      jwtSecret: e.JWT_SECRET ?? null,
      issuer: e.JWT_ISSUER,
      audience: e.JWT_AUDIENCE,
      accessTokenTtlSeconds: e.ACCESS_TOKEN_TTL_SECONDS,
      refreshTokenTtlSeconds: e.REFRESH_TOKEN_TTL_SECONDS,
    },
    rateLimits: {
      ipPerMinute: e.RATE_LIMIT_IP_PER_MINUTE,
      userPerMinute: e.RATE_LIMIT_USER_PER_MINUTE,
      loginPer15Minutes: e.RATE_LIMIT_LOGIN_PER_15_MINUTES,
    },
    valuationCacheTtlSeconds: e.VALUATION_CACHE_TTL_SECONDS,
    logLevel: e.LOG_LEVEL,
    demo: e.DEMO_DATA === 'on' ? { seed: e.DEMO_SEED, investors: e.DEMO_INVESTORS } : null,
    pipeline: {
      streamPrefix: e.STREAM_PREFIX,
      valuer: {
        durableName: e.VALUER_CONSUMER,
        ackWaitMs: e.VALUER_ACK_WAIT_MS,
        maxDeliver: e.VALUER_MAX_DELIVER,
        backoffMs: e.VALUER_BACKOFF_MS,
        maxAckPending: e.VALUER_MAX_ACK_PENDING,
      },
      totalsFlushMs: e.VALUATION_FLUSH_MS,
      simulatedTickMs: e.SIMULATED_TICK_MS,
    },
    live: {
      queueLimit: e.LIVE_QUEUE_LIMIT,
      accessRecheckMs: e.LIVE_ACCESS_RECHECK_MS,
      pingMs: e.LIVE_PING_MS,
      socketBufferLimitBytes: e.LIVE_SOCKET_BUFFER_LIMIT_BYTES,
      portfolioFrameMs: e.LIVE_PORTFOLIO_FRAME_MS,
      bookFrameMs: e.LIVE_BOOK_FRAME_MS,
      pricesFrameMs: e.LIVE_PRICES_FRAME_MS,
    },
  };
}
