import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CurrencyCode } from '@tickfolio/core';
import { type DatabaseHandle, holdings, openDatabase, users } from '@tickfolio/db';
import { DEMO_LOGINS, DEMO_PASSWORD } from '@tickfolio/db/demo';
import {
  type EngineProcess,
  startNatsProcess,
  startPostgresProcess,
  startRedisProcess,
  startTcpProxy,
  type TcpProxy,
} from '@tickfolio/testing';
import { createTRPCClient, httpLink } from '@trpc/client';
import { Redis } from 'ioredis';
import type { AppRouter } from '../../src/routers';
import { openTestBroker, type TestBroker } from './pipeline-broker';
import { type ServerProcess, startServerProcess } from './server-process';
import { testServerEnv, testServerRecipe } from './test-server';

export type EngineName = 'postgres' | 'redis' | 'nats';

/** A demo investor, the holding the test's prices or ledger writes are about, and a token. */
export interface FaultInvestor {
  readonly ownerId: string;
  readonly accountId: string;
  readonly instrumentId: string;
  readonly currency: CurrencyCode;
  readonly token: string;
}

/**
 * A whole deployment of the test's own: PostgreSQL, Redis and NATS in processes of their own, a TCP
 * proxy between the server and each (the links a fault cuts), and the server as a process of its own
 * (as deployed: a crash is its own, not the test's). The test reaches the engines directly, past the
 * proxies: it publishes prices as the fetcher does and checks the stores.
 */
export interface FaultWorld {
  readonly engines: Readonly<Record<EngineName, EngineProcess>>;
  readonly proxies: Readonly<Record<EngineName, TcpProxy>>;
  readonly server: ServerProcess;
  /** The server's database, directly. */
  readonly database: DatabaseHandle;
  /** The server's Redis, directly, and the prefix of the server's keys. */
  readonly redis: Redis;
  readonly redisKeyPrefix: string;
  /** The server's broker, directly, under the server's stream prefix. */
  readonly broker: TestBroker;
  /** The investor whose portfolio the prices move and the live subscribers watch. */
  readonly investor: FaultInvestor;
  /**
   * Another investor, whose ledger takes the writes once the fault is over: the investor's own entries
   * then show what the fault left behind, not what a later write put right.
   */
  readonly probe: FaultInvestor;
  /** Whether the server process has exited (it must not, whatever the engines do). */
  serverExited(): boolean;
  stop(): Promise<void>;
}

/**
 * The server's settings besides the engines' URLs. The valuer's redeliveries are quick and its retry
 * budget (about a minute) outlasts every fault the tests make, as production's (8.5 minutes) outlasts
 * a restart or a failover: a price is dead-lettered only when it could never be stored. The waits on
 * PostgreSQL are a few seconds, well inside the client's bound (REQUEST_BOUND_MS), so a request that
 * meets a silent database gets its 503 in time however many statements it runs.
 */
const SERVER_SETTINGS = {
  DATABASE_CONNECT_TIMEOUT_MS: '2000',
  DATABASE_STATEMENT_TIMEOUT_MS: '3000',
  DATABASE_QUERY_TIMEOUT_MS: '4000',
  VALUER_ACK_WAIT_MS: '1000',
  VALUER_BACKOFF_MS: '1000,2000,4000,8000',
  VALUER_MAX_DELIVER: '12',
  // Access to a live stream is checked again every second: the checks meet the faults too.
  LIVE_ACCESS_RECHECK_MS: '1000',
  // The load's clients all come from one address and one user.
  RATE_LIMIT_IP_PER_MINUTE: '1000000',
  RATE_LIMIT_USER_PER_MINUTE: '1000000',
  RATE_LIMIT_LOGIN_PER_15_MINUTES: '1000',
  LOG_LEVEL: process.env.FAULT_SERVER_LOG_LEVEL ?? 'silent',
} as const;

/** Starts the engines, their proxies and the server on the demo book; `stop` removes it all. */
export async function startFaultWorld(): Promise<FaultWorld> {
  const cleanUps: (() => Promise<unknown>)[] = [];
  const stop = async () => {
    for (const clean of cleanUps.reverse()) await clean().catch(() => {});
  };
  try {
    const own = <E extends EngineProcess>(engine: E): E => {
      cleanUps.push(() => engine.stop());
      return engine;
    };
    const starts = [
      startPostgresProcess({ database: testServerRecipe() }).then(own),
      startRedisProcess().then(own),
      startNatsProcess().then(own),
    ] as const;
    // Every start settled (and what started is owned, to be stopped) before a failed one is thrown.
    await Promise.allSettled(starts);
    const [postgres, redis, nats] = await Promise.all(starts);
    const engines = { postgres, redis, nats };
    const proxies = {
      postgres: await startTcpProxy({ target: { host: '127.0.0.1', port: postgres.port } }),
      redis: await startTcpProxy({ target: { host: '127.0.0.1', port: redis.port } }),
      nats: await startTcpProxy({ target: { host: '127.0.0.1', port: nats.port } }),
    };
    for (const proxy of Object.values(proxies)) cleanUps.push(() => proxy.stop());

    const broker = await openTestBroker(nats.url);
    cleanUps.push(() => broker.close());
    const database = await openDatabase({ kind: 'postgres', url: postgres.url, max: 2 });
    cleanUps.push(() => database.close());
    const directRedis = new Redis(redis.url, { maxRetriesPerRequest: 2, retryStrategy: () => 100 });
    directRedis.on('error', () => {});
    cleanUps.push(async () => directRedis.disconnect());

    const dataDir = await mkdtemp(join(tmpdir(), 'tickfolio-fault-test-'));
    cleanUps.push(() => rm(dataDir, { recursive: true, force: true }));
    const env: Record<string, string> = {
      ...testServerEnv(proxies.postgres.url(postgres.url), dataDir),
      ...broker.env,
      REDIS_URL: proxies.redis.url(redis.url),
      NATS_URL: proxies.nats.url(nats.url),
      ...SERVER_SETTINGS,
    };
    const server = await startServerProcess(env, { echo: process.env.FAULT_SERVER_ECHO === '1' });
    let exited = false;
    void server.exited.then(() => {
      exited = true;
    });
    cleanUps.push(async () => {
      server.child.kill('SIGKILL');
      await server.exited;
    });

    return {
      engines,
      proxies,
      server,
      database,
      redis: directRedis,
      redisKeyPrefix: env.REDIS_KEY_PREFIX!,
      broker,
      ...(await demoInvestors(database, server.url)),
      serverExited: () => exited,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The demo investor and another with holdings, each with their first holding and a token. */
async function demoInvestors(
  database: DatabaseHandle,
  url: string,
): Promise<{ investor: FaultInvestor; probe: FaultInvestor }> {
  const db = database.db;
  const main = (await users.findUserByEmail(db, DEMO_LOGINS.investor))!;
  const others = await db
    .selectFrom('users')
    .select(['id', 'email'])
    .where('role', '=', 'investor')
    .where('id', '!=', main.id)
    .orderBy('email')
    .execute();
  for (const other of others) {
    if ((await holdings.listHoldingsByOwner(db, other.id)).length) {
      return {
        investor: await signedIn(database, url, main.email),
        probe: await signedIn(database, url, other.email),
      };
    }
  }
  throw new Error('the demo has no second investor with holdings');
}

/** A demo user, their first holding, and an access token got over HTTP. */
async function signedIn(database: DatabaseHandle, url: string, email: string): Promise<FaultInvestor> {
  const owner = (await users.findUserByEmail(database.db, email))!;
  const [held] = await holdings.listHoldingsByOwner(database.db, owner.id);
  const anonymous = createTRPCClient<AppRouter>({ links: [httpLink({ url: `${url}/trpc` })] });
  const { accessToken } = await anonymous.auth.login.mutate({ email, password: DEMO_PASSWORD });
  return {
    ownerId: owner.id,
    accountId: held!.accountId,
    instrumentId: held!.instrumentId,
    currency: held!.currency,
    token: accessToken,
  };
}
