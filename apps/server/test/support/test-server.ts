import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_PASSWORD } from '@tickfolio/db/demo';
import { createScratchDatabase, TEST_REDIS_URL, testRedisKeyPrefix } from '@tickfolio/testing';
import { createTRPCClient, httpBatchLink, httpLink, type TRPCClient } from '@trpc/client';
import pino, { type Logger } from 'pino';
import { loadConfig, type ServerConfig } from '../../src/config';
import { createServerApp } from '../../src/main';
import type { AppRouter } from '../../src/routers';
import { serverDatabase } from './test-databases';

/** Demo data every server test starts from: small, fixed seed. */
export const TEST_DEMO = { DEMO_SEED: '7', DEMO_INVESTORS: '12' } as const;

/**
 * A test server's settings: the given database, the machine's Redis under a key prefix of its own, a
 * fresh secret, a free port, the small demo, no simulated feed.
 */
/**
 * For tests that count rate-limit points exactly: a loaded machine's Redis may take longer than the
 * production default of 250 ms, and the replica's local limiter, which has not seen the points Redis
 * counted, would then decide. The fallback itself is the fault tests' to exercise.
 */
export const EXACT_RATE_LIMITS = { RATE_LIMIT_STORE_TIMEOUT_MS: '10000' } as const;

export function testServerEnv(databaseUrl: string, dataDir: string): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_KEY_PREFIX: testRedisKeyPrefix(),
    JWT_SECRET: randomBytes(32).toString('base64url'),
    TICKFOLIO_DATA_DIR: dataDir,
    PORT: '0',
    LOG_LEVEL: 'silent',
    // Prices hold still unless a test starts the simulated feed (embedded mode) or publishes its own.
    SIMULATED_TICK_MS: '0',
    ...TEST_DEMO,
  };
}

export interface TestServer {
  readonly url: string;
  /** Where it serves /metrics (a free port of its own). */
  readonly metricsUrl: string | null;
  readonly config: ServerConfig;
  /** A real tRPC client over HTTP; with a token, signed in. `batch: false` sends one request per call. */
  client(token?: string, options?: { batch?: boolean }): TRPCClient<AppRouter>;
  /** Signs in through the API and returns the access token and a client using it. */
  login(email: string, password?: string): Promise<{ token: string; client: TRPCClient<AppRouter> }>;
  /** Stops the server process only; the scratch database stays (another server can take it over). */
  stopApp(): Promise<void>;
  stop(): Promise<void>;
}

/** What a test server with these settings finds in its database: migrations, and its demo data. */
export function testServerRecipe(env: Record<string, string> = {}) {
  const settings: Record<string, string> = { ...TEST_DEMO, ...env };
  const demo = { seed: Number(settings.DEMO_SEED), investors: Number(settings.DEMO_INVESTORS) };
  return serverDatabase(settings.DEMO_DATA === 'off' ? null : demo);
}

/** The database a test server with these settings starts on: migrated, with its demo data. */
export function testServerDatabase(env: Record<string, string> = {}) {
  return createScratchDatabase({ recipe: testServerRecipe(env) });
}

/**
 * Starts the whole server (composition root, HTTP, tRPC) on a scratch PostgreSQL database (or the one
 * env's DATABASE_URL names, which it leaves in place) and the machine's Redis under a key prefix of its
 * own, on a free port. Its log goes nowhere unless `options.log` takes it.
 */
export async function startTestServer(
  env: Record<string, string> = {},
  options: { log?: Logger } = {},
): Promise<TestServer> {
  // A DATABASE_URL in env is another server's database (a replica, a successor): no scratch one then.
  const scratch = env.DATABASE_URL ? undefined : await testServerDatabase(env);
  const dataDir = await mkdtemp(join(tmpdir(), 'tickfolio-server-test-'));
  const config = loadConfig({ ...testServerEnv(env.DATABASE_URL ?? scratch!.url, dataDir), ...env });
  const app = createServerApp(config, options.log ?? pino({ level: 'silent' }));
  let url: string;
  let metricsUrl: string | null;
  try {
    ({ url, metricsUrl } = await app.start());
  } catch (error) {
    await scratch?.drop();
    throw error;
  }
  const client = (token?: string, options: { batch?: boolean } = {}) => {
    const link = options.batch === false ? httpLink : httpBatchLink;
    return createTRPCClient<AppRouter>({
      links: [
        link({ url: `${url}/trpc`, headers: () => (token ? { authorization: `Bearer ${token}` } : {}) }),
      ],
    });
  };
  return {
    url,
    metricsUrl,
    config,
    client,
    async login(email, password = DEMO_PASSWORD) {
      const tokens = await client().auth.login.mutate({ email, password });
      return { token: tokens.accessToken, client: client(tokens.accessToken) };
    },
    stopApp: () => app.stop(),
    async stop() {
      await app.stop();
      await scratch?.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
