import {
  createScratchDatabase,
  type ScratchDatabase,
  startTcpProxy,
  type TcpProxy,
  targetOf,
} from '@tickfolio/testing';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { atomically, type DatabaseHandle, isDatabaseUnavailable, openDatabase } from '../src';

/**
 * The pool against a PostgreSQL that fails the ways networks and failovers do, through a TCP proxy the
 * test controls: every connection reset mid-query, or the link going silent.
 */
let scratch: ScratchDatabase;
let proxy: TcpProxy;
let handle: DatabaseHandle;
const connectionErrors: Error[] = [];

const TIMEOUTS = {
  connectTimeoutMs: 1_000,
  statementTimeoutMs: 1_000,
  queryTimeoutMs: 1_500,
  idleInTransactionTimeoutMs: 5_000,
  keepAliveInitialDelayMs: 1_000,
};

beforeAll(async () => {
  scratch = await createScratchDatabase();
  proxy = await startTcpProxy({ target: targetOf(scratch.url) });
  handle = await openDatabase({
    kind: 'postgres',
    url: proxy.url(scratch.url),
    max: 4,
    timeouts: TIMEOUTS,
    onPoolError: (error) => connectionErrors.push(error),
  });
  await sql`create table counter (id int primary key, n int not null)`.execute(handle.db);
  await sql`insert into counter values (1, 0)`.execute(handle.db);
});
afterAll(async () => {
  await handle?.close();
  await proxy?.stop();
  await scratch?.drop();
});
afterEach(() => proxy.setMode('pass'));

const WAIT = { timeout: 30_000, interval: 50 };

/** One loop of reads and transactional writes, counting what failed and how. */
function busyLoop(stop: AbortSignal, failures: unknown[]) {
  return (async () => {
    while (!stop.aborted) {
      try {
        await atomically(handle.db, async (trx) => {
          await sql`update counter set n = n + 1 where id = 1`.execute(trx);
          await sql`select pg_sleep(0.005)`.execute(trx);
        });
        await sql`select n from counter where id = 1`.execute(handle.db);
      } catch (error) {
        failures.push(error);
      }
    }
  })();
}

/** The pool answers again: as many queries at once as it has connections, and then some. */
async function answersAgain(): Promise<void> {
  await vi.waitFor(async () => {
    const rows = await Promise.all(
      Array.from({ length: 8 }, () => sql<{ one: number }>`select 1 as one`.execute(handle.db)),
    );
    expect(rows.every((r) => r.rows[0]?.one === 1)).toBe(true);
  }, WAIT);
}

describe('a pooled PostgreSQL connection that fails', () => {
  it('survives every connection being reset while queries and transactions are in flight', async () => {
    const stop = new AbortController();
    const failures: unknown[] = [];
    const loops = Array.from({ length: 8 }, () => busyLoop(stop.signal, failures));
    await vi.waitFor(() => expect(proxy.openConnections).toBe(4), WAIT);
    for (let round = 0; round < 3; round += 1) {
      const before = failures.length;
      proxy.resetConnections();
      await vi.waitFor(() => expect(failures.length).toBeGreaterThan(before), WAIT);
      await vi.waitFor(() => expect(proxy.openConnections).toBeGreaterThan(0), WAIT);
    }
    stop.abort();
    await Promise.all(loops);
    // What failed failed as "the database is unavailable", and the pool was told of the lost connections.
    expect(failures.every(isDatabaseUnavailable)).toBe(true);
    expect(connectionErrors.length).toBeGreaterThan(0);
    await answersAgain();
  });

  it('gives up on a silent link within its limits, and recovers by itself when the link comes back', async () => {
    await answersAgain();
    proxy.setMode('blackhole');
    // Open connections: the answer never comes (query timeout); new ones: the start-up never completes
    // (connect timeout); with every connection taken, the wait for a free one (connect timeout too).
    const attempts = await Promise.allSettled(
      Array.from({ length: 8 }, () => sql`select 1`.execute(handle.db)),
    );
    expect(attempts.every((a) => a.status === 'rejected')).toBe(true);
    for (const a of attempts) expect(isDatabaseUnavailable((a as PromiseRejectedResult).reason)).toBe(true);

    proxy.setMode('pass');
    // No client stays wedged on the answer it gave up on: every connection serves again.
    await answersAgain();
  });

  it('drops connections whose server vanished (a failover) instead of keeping them wedged in the pool', async () => {
    await answersAgain();
    // The old server's connections go silent for good; the address answers with a new server.
    proxy.strandConnections();
    const attempts = await Promise.allSettled(
      Array.from({ length: 4 }, () => sql`select 1`.execute(handle.db)),
    );
    for (const a of attempts) {
      if (a.status === 'rejected') expect(isDatabaseUnavailable(a.reason)).toBe(true);
    }
    // A client that gave up on its answer was closed, so the pool opens new connections: every query
    // is served again (a client kept waiting would hold its slot for as long as TCP took to notice).
    await answersAgain();
  });

  it('a slow statement is cancelled by the server (statement timeout), and its connection kept', async () => {
    const error = await sql`select pg_sleep(5)`.execute(handle.db).catch((e: unknown) => e);
    expect((error as { code?: string }).code).toBe('57014');
    expect(isDatabaseUnavailable(error)).toBe(true);
    await answersAgain();
  });
});
