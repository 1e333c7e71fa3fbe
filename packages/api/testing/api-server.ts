import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openTestBus, TEST_NATS_URL } from '@tickfolio/bus/testing';
import { type ServerProcess, startServerProcess } from '@tickfolio/server/testing/server-process';
import { createScratchDatabase, TEST_REDIS_URL, testRedisKeyPrefix } from '@tickfolio/testing';

/** What a test needs to reach the shared server and push prices to it; plain data, so vitest can pass it on. */
export interface ApiServerInfo {
  readonly url: string;
  readonly natsUrl: string;
  /** The stream prefix the server's JetStream streams and subjects carry. */
  readonly streamPrefix: string;
}

export interface ApiServer {
  readonly info: ApiServerInfo;
  /** Stops the process, then removes its database, streams and data directory. */
  stop(): Promise<void>;
}

/**
 * Starts the real server as a process of its own (`src/start.ts`, as `pnpm start` runs it) on stores
 * of its own: a scratch PostgreSQL database with the small demo, the machine's Redis under a fresh key
 * prefix, and JetStream streams under a fresh prefix, on a free port. Prices hold still until a test
 * publishes one. The sign-in and per-address limits are raised: a whole run's clients share it.
 */
export async function startApiServer(): Promise<ApiServer> {
  const database = await createScratchDatabase();
  const dataDir = await mkdtemp(join(tmpdir(), 'tickfolio-api-server-'));
  // The broker under a stream prefix of this run's own; closing it deletes the server's streams too.
  const bus = await openTestBus();
  const streamPrefix = bus.names.prefix;
  const removeStores = async () => {
    await Promise.all([database.drop(), bus.close(), rm(dataDir, { recursive: true, force: true })]);
  };
  let server: ServerProcess;
  try {
    server = await startServerProcess({
      DATABASE_URL: database.url,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_KEY_PREFIX: testRedisKeyPrefix(),
      NATS_URL: TEST_NATS_URL,
      STREAM_PREFIX: streamPrefix,
      JWT_SECRET: randomBytes(32).toString('base64url'),
      TICKFOLIO_DATA_DIR: dataDir,
      PORT: '0',
      LOG_LEVEL: 'error',
      SIMULATED_TICK_MS: '0',
      // Every test of the run signs in from one address to this one server: room for all of them.
      RATE_LIMIT_LOGIN_PER_15_MINUTES: '1000',
      RATE_LIMIT_IP_PER_MINUTE: '100000',
      DEMO_SEED: '7',
      DEMO_INVESTORS: '12',
    });
  } catch (error) {
    await removeStores();
    throw error;
  }
  return {
    info: { url: server.url, natsUrl: TEST_NATS_URL, streamPrefix },
    async stop() {
      server.child.kill('SIGTERM');
      await server.exited;
      await removeStores();
    },
  };
}
