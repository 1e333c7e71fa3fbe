import { isIP } from 'node:net';
import { fileURLToPath } from 'node:url';
import { natsUrlSchema, type ValuerConsumerSettings } from '@tickfolio/bus';
import { DEFAULT_POSTGRES_TIMEOUTS, type PostgresTimeouts } from '@tickfolio/db';
import { ConfigError, metricsListener, parseEnv } from '@tickfolio/process';
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

/**
 * Which proxies' X-Forwarded-For to believe, as Fastify's trustProxy takes it: off (unset or `false`),
 * a hop count (`1`: the one load balancer in front), or a comma-separated list of addresses and CIDR
 * ranges (or proxy-addr's `loopback`, `linklocal`, `uniquelocal`). `true` (believe anyone) is refused:
 * it would let every client choose the address its rate limits count against.
 */
const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);
const trustProxy = z.string().transform((s, ctx): false | number | string[] => {
  const text = s.trim();
  if (text === '' || text === 'false') return false;
  if (/^[0-9]{1,2}$/.test(text)) return Number(text);
  const entries = text
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  const isProxy = (entry: string) => {
    if (PROXY_NAMES.has(entry)) return true;
    const [address, bits, ...rest] = entry.split('/');
    const family = isIP(address ?? '');
    if (family === 0 || rest.length > 0) return false;
    return bits === undefined || (/^[0-9]{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128));
  };
  const bad = entries.filter((e) => !isProxy(e));
  if (entries.length === 0 || bad.length > 0) {
    ctx.addIssue({
      code: 'custom',
      message: `must be off, a hop count, or addresses and CIDR ranges of the proxies (not: ${bad.join(', ') || text})`,
    });
    return z.NEVER;
  }
  return entries;
});

/** A listener's port, or `off`. */
const metricsPort = z.union([z.literal('off'), z.coerce.number().int().min(0).max(65535)]);

/** A duration in milliseconds; 0 where a setting allows turning its limit off. */
const ms = z.coerce.number().int().min(0).max(3_600_000);

const envSchema = z.object({
  DATABASE_URL: z.url().optional(),
  REDIS_URL: z.url().optional(),
  REDIS_KEY_PREFIX: z.string().min(1).default('tickfolio:'),
  /**
   * How long to wait on PostgreSQL (see packages/db's PostgresTimeouts; 0 turns one off). A database
   * that stops answering then costs a request these seconds and a 503, not the whole outage.
   */
  DATABASE_CONNECT_TIMEOUT_MS: ms.default(DEFAULT_POSTGRES_TIMEOUTS.connectTimeoutMs),
  DATABASE_STATEMENT_TIMEOUT_MS: ms.default(DEFAULT_POSTGRES_TIMEOUTS.statementTimeoutMs),
  DATABASE_QUERY_TIMEOUT_MS: ms.default(DEFAULT_POSTGRES_TIMEOUTS.queryTimeoutMs),
  DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: ms.default(DEFAULT_POSTGRES_TIMEOUTS.idleInTransactionTimeoutMs),
  DATABASE_KEEPALIVE_MS: ms.default(DEFAULT_POSTGRES_TIMEOUTS.keepAliveInitialDelayMs),
  /** Redis: opening a connection, and any one command, before it counts as failed; keepalive delay. */
  REDIS_CONNECT_TIMEOUT_MS: ms.min(1).default(2_000),
  REDIS_COMMAND_TIMEOUT_MS: ms.min(1).default(1_000),
  REDIS_KEEPALIVE_MS: ms.default(10_000),
  /** How often the Redis connection is pinged; one unanswered within the command timeout reconnects. */
  REDIS_HEARTBEAT_MS: ms.min(100).default(2_000),
  /**
   * A rate limit Redis has not answered within this long is decided by the replica's local limiter
   * instead; the request is not held up by a slow or unreachable Redis.
   */
  RATE_LIMIT_STORE_TIMEOUT_MS: ms.min(1).default(250),
  /** Each /readyz check (database, cache, broker) counts as failed when it has not answered by then. */
  READINESS_TIMEOUT_MS: ms.min(1).default(2_000),
  /** The Retry-After a 503 (a database or cache unavailable) carries. */
  UNAVAILABLE_RETRY_AFTER_SECONDS: z.coerce.number().int().min(1).max(3600).default(5),
  /** One broker, or every node of a cluster separated by commas (the client fails over between them). */
  NATS_URL: natsUrlSchema.optional(),
  TICKFOLIO_DATA_DIR: z.string().min(1).default('.data'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  PUBLIC_URL: z.url().optional(),
  /**
   * Where GET /metrics is served: a listener of its own, apart from the API, so a public server does not
   * hand its metrics to the internet and scrapes pass no rate limit. Unset: 9464, or a free port when
   * PORT is 0 (tests, side by side); `off`: none.
   */
  METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  METRICS_PORT: metricsPort.optional(),
  TLS_CERT_FILE: z.string().min(1).optional(),
  TLS_KEY_FILE: z.string().min(1).optional(),
  CORS_ORIGINS: csv.default([]),
  /** The advisors' desk build served at /app (apps/desktop's `pnpm build` writes it). */
  DESK_DIR: z.string().min(1).optional(),
  TRUST_PROXY: trustProxy.default(false),
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
  /** Failed sign-ins on one account from one address per 15 minutes (a success clears them). */
  RATE_LIMIT_LOGIN_PER_15_MINUTES: z.coerce.number().int().min(1).default(10),
  /** What one call of a costly procedure (sign-in, token refresh, import) takes from the per-IP limit. */
  RATE_LIMIT_COSTLY_CALL_POINTS: z.coerce.number().int().min(1).max(1000).default(10),
  /** Most calls one HTTP batch or one WebSocket message may carry; larger ones get BAD_REQUEST. */
  TRPC_MAX_BATCH_SIZE: z.coerce.number().int().min(1).max(1000).default(50),
  /** Failed sign-ins from one address over every account per day (and registrations from it). */
  RATE_LIMIT_LOGIN_FAILS_PER_IP_PER_DAY: z.coerce.number().int().min(1).default(100),
  /** Failed sign-ins on one account from addresses it has not signed in from lately, per day. */
  RATE_LIMIT_LOGIN_FAILS_PER_ACCOUNT_PER_DAY: z.coerce.number().int().min(1).default(100),
  /**
   * File imports running at once in one server process, per signed-in principal and in all. An import
   * parses and checks its rows in turns of the event loop, so each one running slows every request a
   * little; the bounds keep a few large files from slowing them a lot (docs/BENCHMARKS.md, "Imports").
   */
  IMPORT_CONCURRENCY_PER_USER: z.coerce.number().int().min(1).default(1),
  IMPORT_CONCURRENCY: z.coerce.number().int().min(1).default(2),
  VALUATION_CACHE_TTL_SECONDS: z.coerce.number().int().min(1).default(600),
  VALUATION_MEMORY_ENTRIES: z.coerce.number().int().min(0).default(5000),
  /**
   * Value histories (portfolio.performance, history, realized) each replica keeps between requests, least
   * recently used out; 0: none. A demo investor's takes about 0.8 MiB of heap, one of 2,000 transactions
   * in 10 to 30 symbols over 5 to 10 years of daily closes 2.3 to 7.4 MiB (docs/BENCHMARKS.md).
   */
  PERFORMANCE_HISTORY_ENTRIES: z.coerce.number().int().min(0).max(100_000).default(100),
  /** A kept history older than this is built afresh (a close back-filled for an earlier day). */
  PERFORMANCE_HISTORY_MAX_AGE_SECONDS: z.coerce.number().int().min(1).default(3600),
  /**
   * What an investor's instruments.request does with an instrument the lookup found: add it at once
   * (add), or open a request an admin approves or rejects (review).
   */
  INSTRUMENT_REQUESTS: z.enum(['add', 'review']).default('add'),
  /** How long a symbol lookup waits for a fetcher's answer before it is unavailable (503). */
  LOOKUP_TIMEOUT_MS: z.coerce.number().int().min(500).max(60_000).default(8000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DEMO_SEED: z.coerce.number().int().default(20261125),
  DEMO_INVESTORS: z.coerce.number().int().min(1).max(100_000).default(250),
  DEMO_DATA: z.enum(['on', 'off']).default('on'),
  /** Put in front of every stream name and subject (see the bus's streamNames); isolates test runs. */
  STREAM_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]*$/)
    .default(''),
  /**
   * How many broker nodes keep a copy of each stream: 1 on one broker, 3 on a three-node cluster. Every
   * server and fetcher of a deployment must share it (each sets the streams up to it at start).
   */
  STREAM_REPLICAS: z.coerce.number().int().min(1).max(5).default(1),
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
  /**
   * Where alert rules are evaluated: inside this server (`inline`), or not here (`off`: notifier
   * processes of their own run them, `pnpm start:notifier`). Either way one durable consumer is shared.
   */
  NOTIFIER: z.enum(['inline', 'off']).default('inline'),
  NOTIFIER_RULES_POLL_MS: z.coerce.number().int().min(50).max(600_000).default(2000),
  NOTIFIER_RULES_RELOAD_MS: z.coerce.number().int().min(1000).max(3_600_000).default(60_000),
  NOTIFIER_STALE_SWEEP_MS: z.coerce.number().int().min(50).max(3_600_000).default(30_000),
  /** Least time between two evaluations of a batch of events: bounds the notifier's share of the CPU. */
  NOTIFIER_BATCH_INTERVAL_MS: z.coerce.number().int().min(0).max(60_000).default(250),
  /**
   * A notifier process's least OS scheduling niceness (0–19, never lowered): on a machine it shares with
   * a server, its evaluations (which tolerate seconds) yield the CPU to the live path (which does not).
   */
  NOTIFIER_NICE: z.coerce.number().int().min(0).max(19).default(10),
  ALERT_RULES_PER_USER: z.coerce.number().int().min(1).max(10_000).default(100),
  /** Outbound webhooks: attempts before a delivery is dead, the first retry's wait (doubling), each attempt's deadline. */
  NOTIFICATION_WEBHOOK_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(5),
  NOTIFICATION_WEBHOOK_RETRY_MS: z.coerce.number().int().min(10).max(600_000).default(2000),
  NOTIFICATION_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5000),
  NOTIFICATION_WEBHOOK_SWEEP_MS: z.coerce.number().int().min(100).max(3_600_000).default(60_000),
  /** Whether a webhook may point at this machine or a private network (off: refused, against SSRF). */
  NOTIFICATION_WEBHOOK_ALLOW_PRIVATE: z.enum(['on', 'off']).default('off'),
});

/** Every setting's name, for the check that docs/operations.md lists each one. */
export const SETTING_NAMES: readonly string[] = Object.keys(envSchema.shape);

/** What each setting is when unset (undefined: no default), for the check of the documented defaults. */
export function settingDefaults(): Record<string, unknown> {
  return parseEnv(envSchema, {});
}

export type DatabaseConfig =
  | { kind: 'postgres'; url: string; timeouts: PostgresTimeouts }
  | { kind: 'pglite'; dataDir: string };

export interface ServerConfig {
  readonly database: DatabaseConfig;
  readonly redisUrl: string | null;
  /** Prefix of every Redis key this deployment writes (cache and rate limits). */
  readonly redisKeyPrefix: string;
  readonly redisTimeouts: {
    readonly connectMs: number;
    readonly commandMs: number;
    readonly keepAliveMs: number;
    readonly heartbeatMs: number;
  };
  /** How a dependency that fails or is slow is answered. */
  readonly availability: {
    /** Each readiness check's own deadline. */
    readonly readinessTimeoutMs: number;
    /** Retry-After of a 503. */
    readonly retryAfterSeconds: number;
  };
  readonly natsUrl: string | null;
  readonly dataDir: string;
  readonly http: {
    readonly host: string;
    readonly port: number;
    readonly publicUrl: string | null;
    readonly tls: { readonly certFile: string; readonly keyFile: string } | null;
    readonly corsOrigins: readonly string[];
    /** The directory of the desk's built renderer, served at /app. */
    readonly deskDir: string;
    /** Fastify's trustProxy: whose X-Forwarded-For gives the client's address (false: nobody's). */
    readonly trustProxy: false | number | readonly string[];
    readonly bodyLimitBytes: number;
    /** transactions.import carries whole files (up to 5 MB of content). */
    readonly importBodyLimitBytes: number;
    /** Most calls one HTTP batch or one WebSocket message may carry. */
    readonly maxBatchSize: number;
  };
  /** The Prometheus listener (GET /metrics); null when turned off. */
  readonly metrics: { readonly host: string; readonly port: number } | null;
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
    /** The sign-in throttle's limits on failed attempts (auth/sign-in-throttle.ts). */
    readonly signIn: {
      readonly failsPerAccountAndAddressPer15Minutes: number;
      readonly failsPerAddressPerDay: number;
      readonly failsPerAccountPerDay: number;
    };
    /** Points one call of a costly procedure takes from the per-IP limit (any other call takes 1). */
    readonly costlyCallPoints: number;
    /** A limit Redis has not decided within this long falls back to the replica's local limiter. */
    readonly storeTimeoutMs: number;
  };
  /** How many imports one process runs at once: per principal, and in all. */
  readonly imports: { readonly perPrincipal: number; readonly total: number };
  /** The catalogue: whether investors' requests add directly or wait for an admin; the lookup's wait. */
  readonly catalogue: { readonly requests: 'add' | 'review'; readonly lookupTimeoutMs: number };
  readonly valuationCacheTtlSeconds: number;
  /** Cached valuations each replica keeps parsed in memory, served with its index's totals; 0: none. */
  readonly valuationMemoryEntries: number;
  /** Value histories kept between requests per replica (performance/history-cache.ts). */
  readonly performance: { readonly historyEntries: number; readonly historyMaxAgeSeconds: number };
  readonly logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  readonly pipeline: {
    readonly streamPrefix: string;
    /** Copies of each stream across the broker's nodes; every other stream setting is the bus's own. */
    readonly streamReplicas: number;
    /** The valuer's consumer. */
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
  readonly notifications: {
    readonly notifier: 'inline' | 'off';
    readonly rulesPollMs: number;
    readonly rulesReloadMs: number;
    readonly staleSweepMs: number;
    readonly batchIntervalMs: number;
    /** A notifier process's least niceness (the notifier inside a server takes the server's). */
    readonly nice: number;
    readonly rulesPerUser: number;
    readonly webhook: {
      readonly attempts: number;
      readonly firstRetryMs: number;
      readonly timeoutMs: number;
      readonly sweepMs: number;
    };
    readonly webhookAllowPrivate: boolean;
  };
  /** Demo data loaded into an empty database on start; null to start empty. */
  readonly demo: { readonly seed: number; readonly investors: number } | null;
}

/** Where apps/desktop builds its renderer, beside this app in the repository. */
const DEFAULT_DESK_DIR = fileURLToPath(new URL('../../desktop/dist/renderer', import.meta.url));

/** The server's metrics port unless told (the fetcher's is 9465). */
const DEFAULT_METRICS_PORT = 9464;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const e = parseEnv(envSchema, env);
  if (e.DATABASE_URL && !e.JWT_SECRET) {
    // Replicas sharing a database must share the signing secret.
    throw new ConfigError('invalid configuration: JWT_SECRET is required when DATABASE_URL is set');
  }
  if (Boolean(e.TLS_CERT_FILE) !== Boolean(e.TLS_KEY_FILE)) {
    throw new ConfigError('invalid configuration: TLS_CERT_FILE and TLS_KEY_FILE go together');
  }
  if (
    e.DATABASE_QUERY_TIMEOUT_MS > 0 &&
    e.DATABASE_STATEMENT_TIMEOUT_MS > 0 &&
    e.DATABASE_QUERY_TIMEOUT_MS <= e.DATABASE_STATEMENT_TIMEOUT_MS
  ) {
    // A statement that is merely slow must be cancelled by the server before the client gives up on it
    // (and closes its connection).
    throw new ConfigError(
      'invalid configuration: DATABASE_QUERY_TIMEOUT_MS must be longer than DATABASE_STATEMENT_TIMEOUT_MS',
    );
  }
  if (e.VALUER_BACKOFF_MS.length >= e.VALUER_MAX_DELIVER) {
    // JetStream refuses a backoff list that is not shorter than MaxDeliver.
    throw new ConfigError(
      'invalid configuration: VALUER_BACKOFF_MS must list fewer delays than VALUER_MAX_DELIVER',
    );
  }
  return {
    database: e.DATABASE_URL
      ? {
          kind: 'postgres',
          url: e.DATABASE_URL,
          timeouts: {
            connectTimeoutMs: e.DATABASE_CONNECT_TIMEOUT_MS,
            statementTimeoutMs: e.DATABASE_STATEMENT_TIMEOUT_MS,
            queryTimeoutMs: e.DATABASE_QUERY_TIMEOUT_MS,
            idleInTransactionTimeoutMs: e.DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS,
            keepAliveInitialDelayMs: e.DATABASE_KEEPALIVE_MS,
          },
        }
      : { kind: 'pglite', dataDir: `${e.TICKFOLIO_DATA_DIR}/pglite` },
    redisUrl: e.REDIS_URL ?? null,
    redisKeyPrefix: e.REDIS_KEY_PREFIX,
    redisTimeouts: {
      connectMs: e.REDIS_CONNECT_TIMEOUT_MS,
      commandMs: e.REDIS_COMMAND_TIMEOUT_MS,
      keepAliveMs: e.REDIS_KEEPALIVE_MS,
      heartbeatMs: e.REDIS_HEARTBEAT_MS,
    },
    availability: {
      readinessTimeoutMs: e.READINESS_TIMEOUT_MS,
      retryAfterSeconds: e.UNAVAILABLE_RETRY_AFTER_SECONDS,
    },
    natsUrl: e.NATS_URL ?? null,
    dataDir: e.TICKFOLIO_DATA_DIR,
    http: {
      host: e.HOST,
      port: e.PORT,
      publicUrl: e.PUBLIC_URL ?? null,
      tls: e.TLS_CERT_FILE && e.TLS_KEY_FILE ? { certFile: e.TLS_CERT_FILE, keyFile: e.TLS_KEY_FILE } : null,
      corsOrigins: e.CORS_ORIGINS,
      deskDir: e.DESK_DIR ?? DEFAULT_DESK_DIR,
      trustProxy: e.TRUST_PROXY,
      bodyLimitBytes: e.BODY_LIMIT_BYTES,
      importBodyLimitBytes: e.IMPORT_BODY_LIMIT_BYTES,
      maxBatchSize: e.TRPC_MAX_BATCH_SIZE,
    },
    metrics: metricsListener(e.METRICS_HOST, e.METRICS_PORT, e.PORT, DEFAULT_METRICS_PORT),
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
      costlyCallPoints: e.RATE_LIMIT_COSTLY_CALL_POINTS,
      signIn: {
        failsPerAccountAndAddressPer15Minutes: e.RATE_LIMIT_LOGIN_PER_15_MINUTES,
        failsPerAddressPerDay: e.RATE_LIMIT_LOGIN_FAILS_PER_IP_PER_DAY,
        failsPerAccountPerDay: e.RATE_LIMIT_LOGIN_FAILS_PER_ACCOUNT_PER_DAY,
      },
      storeTimeoutMs: e.RATE_LIMIT_STORE_TIMEOUT_MS,
    },
    imports: { perPrincipal: e.IMPORT_CONCURRENCY_PER_USER, total: e.IMPORT_CONCURRENCY },
    catalogue: { requests: e.INSTRUMENT_REQUESTS, lookupTimeoutMs: e.LOOKUP_TIMEOUT_MS },
    valuationCacheTtlSeconds: e.VALUATION_CACHE_TTL_SECONDS,
    valuationMemoryEntries: e.VALUATION_MEMORY_ENTRIES,
    performance: {
      historyEntries: e.PERFORMANCE_HISTORY_ENTRIES,
      historyMaxAgeSeconds: e.PERFORMANCE_HISTORY_MAX_AGE_SECONDS,
    },
    logLevel: e.LOG_LEVEL,
    demo: e.DEMO_DATA === 'on' ? { seed: e.DEMO_SEED, investors: e.DEMO_INVESTORS } : null,
    pipeline: {
      streamPrefix: e.STREAM_PREFIX,
      streamReplicas: e.STREAM_REPLICAS,
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
    notifications: {
      notifier: e.NOTIFIER,
      rulesPollMs: e.NOTIFIER_RULES_POLL_MS,
      rulesReloadMs: e.NOTIFIER_RULES_RELOAD_MS,
      staleSweepMs: e.NOTIFIER_STALE_SWEEP_MS,
      batchIntervalMs: e.NOTIFIER_BATCH_INTERVAL_MS,
      nice: e.NOTIFIER_NICE,
      rulesPerUser: e.ALERT_RULES_PER_USER,
      webhook: {
        attempts: e.NOTIFICATION_WEBHOOK_ATTEMPTS,
        firstRetryMs: e.NOTIFICATION_WEBHOOK_RETRY_MS,
        timeoutMs: e.NOTIFICATION_WEBHOOK_TIMEOUT_MS,
        sweepMs: e.NOTIFICATION_WEBHOOK_SWEEP_MS,
      },
      webhookAllowPrivate: e.NOTIFICATION_WEBHOOK_ALLOW_PRIVATE === 'on',
    },
  };
}
