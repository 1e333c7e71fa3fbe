import pg from 'pg';

/**
 * How long the pool waits on PostgreSQL. Without these a database that stops answering (a failover, a
 * network partition that drops packets) holds every request that needs it for as long as it lasts.
 * 0 turns a limit off.
 */
export interface PostgresTimeouts {
  /** Longest wait for a connection: opening one (TCP, start-up, authentication) or, all in use, a free one. */
  readonly connectTimeoutMs: number;
  /** PostgreSQL cancels a statement running longer than this (`statement_timeout`). */
  readonly statementTimeoutMs: number;
  /**
   * The client gives up on an answer this long after sending a query, and closes that connection: what
   * ends the wait when the network goes silent. Longer than the statement timeout, so a statement that is
   * merely slow is cancelled by the server first and its connection kept.
   */
  readonly queryTimeoutMs: number;
  /** PostgreSQL ends a session left idle inside a transaction this long, releasing its locks. */
  readonly idleInTransactionTimeoutMs: number;
  /** TCP keepalive probes start after an idle connection has been silent this long (0: keepalive off). */
  readonly keepAliveInitialDelayMs: number;
}

/** The limits a pool gets unless told otherwise (the server's settings document the same). */
export const DEFAULT_POSTGRES_TIMEOUTS: PostgresTimeouts = {
  connectTimeoutMs: 5_000,
  statementTimeoutMs: 10_000,
  queryTimeoutMs: 15_000,
  idleInTransactionTimeoutMs: 30_000,
  keepAliveInitialDelayMs: 10_000,
};

export interface PostgresPoolOptions {
  readonly url: string;
  readonly max: number;
  readonly timeouts: PostgresTimeouts;
  /** A connection broke (server restart, failover, network); the pool replaces it. */
  readonly onConnectionError: (error: Error) => void;
}

const QUERY_READ_TIMEOUT = 'Query read timeout';

/**
 * pg's client, closing its connection when a query outlives `query_timeout`. pg reports the timeout
 * but leaves the client waiting for the server's answer (brianc/node-postgres#3399): pooled again, such
 * a client would hold every later query given to it for as long as the network stays silent. Closed, it
 * leaves the pool on release and a fresh connection takes its place.
 */
class DeadlineClient extends pg.Client {}
const clientQuery = pg.Client.prototype.query;
DeadlineClient.prototype.query = function query(this: pg.Client, ...args: unknown[]) {
  const result = (clientQuery as (...a: unknown[]) => unknown).apply(this, args);
  if (result instanceof Promise) {
    result.catch((error: unknown) => {
      if (error instanceof Error && error.message === QUERY_READ_TIMEOUT) void this.end().catch(() => {});
    });
  }
  return result;
} as typeof clientQuery;

/**
 * A pg pool that never crashes the process on a broken connection and never waits on PostgreSQL without
 * a limit. pg emits 'error' on a client whose connection breaks; the pool listens only while the client
 * is idle, so a connection reset while a client is checked out (a query or transaction in flight) was an
 * unhandled 'error' event that killed the process. Every client gets its own listener as it connects;
 * the query in flight is failed by pg itself, and the broken client leaves the pool on release.
 */
export function createPostgresPool(options: PostgresPoolOptions): pg.Pool {
  const t = options.timeouts;
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.max,
    Client: DeadlineClient as unknown as new () => pg.ClientBase,
    connectionTimeoutMillis: t.connectTimeoutMs,
    ...(t.statementTimeoutMs > 0 ? { statement_timeout: t.statementTimeoutMs } : {}),
    ...(t.queryTimeoutMs > 0 ? { query_timeout: t.queryTimeoutMs } : {}),
    ...(t.idleInTransactionTimeoutMs > 0
      ? { idle_in_transaction_session_timeout: t.idleInTransactionTimeoutMs }
      : {}),
    keepAlive: t.keepAliveInitialDelayMs > 0,
    keepAliveInitialDelayMillis: t.keepAliveInitialDelayMs,
  });
  pool.on('connect', (client) => client.on('error', options.onConnectionError));
  // An idle client's error reaches the listener above too; the pool re-emits it, and an 'error' event
  // nobody listens to would throw.
  pool.on('error', () => {});
  return pool;
}
