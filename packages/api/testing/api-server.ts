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
  /** The scratch database the server runs on (for setup the API cannot do, such as a large book). */
  readonly databaseUrl: string;
  /** Stops the server process (SIGTERM) and waits for it to exit; its stores stay as they are. */
  stopProcess(): Promise<void>;
  /**
   * Starts the server process again on the same port, database, Redis key prefix, streams and secret,
   * as an operator restarts a deployment: clients reconnect to the same URL and their tokens still hold.
   */
  startProcess(): Promise<void>;
  /** stopProcess, then `whileDown` (what a test checks while the server is away), then startProcess. */
  restart(whileDown?: () => Promise<void>): Promise<void>;
  /** Stops the process, then removes its database, streams and data directory. */
  stop(): Promise<void>;
}

export interface ApiServerOptions {
  /** Server settings over the defaults below (a larger demo, other frame intervals, a log level). */
  readonly settings?: Readonly<Record<string, string>>;
  /** Copies the server's stderr (its log and banner) to this process's. */
  readonly echo?: boolean;
}

/**
 * Starts the real server as a process of its own (`src/start.ts`, as `pnpm start` runs it) in service
 * mode on stores of its own: a scratch PostgreSQL database, which the server migrates and fills with the
 * small demo at its first start, the machine's Redis under a fresh key prefix, and JetStream streams
 * under a fresh prefix, on a free port. Prices hold still until a test publishes one. The sign-in and
 * per-address limits are raised: a whole run's clients share it.
 */
export async function startApiServer(options: ApiServerOptions = {}): Promise<ApiServer> {
  const database = await createScratchDatabase();
  const dataDir = await mkdtemp(join(tmpdir(), 'tickfolio-api-server-'));
  // The broker under a stream prefix of this run's own; closing it deletes the server's streams too.
  const bus = await openTestBus();
  const streamPrefix = bus.names.prefix;
  const removeStores = async () => {
    await Promise.all([database.drop(), bus.close(), rm(dataDir, { recursive: true, force: true })]);
  };
  const env: Record<string, string> = {
    DATABASE_URL: database.url,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_KEY_PREFIX: testRedisKeyPrefix(),
    NATS_URL: TEST_NATS_URL,
    STREAM_PREFIX: streamPrefix,
    JWT_SECRET: randomBytes(32).toString('base64url'),
    TICKFOLIO_DATA_DIR: dataDir,
    PORT: '0',
    // Restarts keep the API's port; the metrics listener takes a free one each time, never 9464.
    METRICS_PORT: '0',
    LOG_LEVEL: 'error',
    SIMULATED_TICK_MS: '0',
    // Every test of the run signs in from one address to this one server: room for all of them.
    RATE_LIMIT_LOGIN_PER_15_MINUTES: '1000',
    RATE_LIMIT_IP_PER_MINUTE: '100000',
    // Test files import for the same demo people at once (a CLI test runs two imports side by side).
    IMPORT_CONCURRENCY_PER_USER: '8',
    IMPORT_CONCURRENCY: '8',
    DEMO_SEED: '7',
    DEMO_INVESTORS: '12',
    ...options.settings,
  };
  let server: ServerProcess | undefined;
  try {
    server = await startServerProcess(env, { echo: options.echo ?? false });
  } catch (error) {
    await removeStores();
    throw error;
  }
  const url = server.url;
  // Restarts listen where the first start did: the port the system gave it.
  env.PORT = new URL(url).port;
  const stopProcess = async () => {
    const running = server;
    server = undefined;
    if (!running) return;
    running.child.kill('SIGTERM');
    await running.exited;
  };
  const startProcess = async () => {
    if (server) throw new Error('the server process is running');
    server = await startServerProcess(env, { echo: options.echo ?? false });
  };
  return {
    info: { url, natsUrl: TEST_NATS_URL, streamPrefix },
    databaseUrl: database.url,
    stopProcess,
    startProcess,
    async restart(whileDown) {
      await stopProcess();
      await whileDown?.();
      await startProcess();
    },
    async stop() {
      await stopProcess();
      await removeStores();
    },
  };
}
