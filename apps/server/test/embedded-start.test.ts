import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_LOGINS, DEMO_PASSWORD } from '@tickfolio/db/demo';
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config';
import { createServerApp } from '../src/main';
import type { AppRouter } from '../src/routers';
import { TEST_DEMO } from './support/test-server';

/** The zero-setup start: no DATABASE_URL, REDIS_URL or NATS_URL. */
describe('embedded start', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'tickfolio-embedded-'));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  const start = async () => {
    const config = loadConfig({ TICKFOLIO_DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'silent', ...TEST_DEMO });
    const app = createServerApp(config, pino({ level: 'silent' }));
    const { url } = await app.start();
    const client = (token?: string) =>
      createTRPCClient<AppRouter>({
        links: [
          httpBatchLink({
            url: `${url}/trpc`,
            headers: () => (token ? { authorization: `Bearer ${token}` } : {}),
          }),
        ],
      });
    return { app, url, client, config };
  };

  it('runs on PGlite and memory, loads the demo once, and keeps sign-ins across a restart', async () => {
    const first = await start();
    let token: string;
    try {
      expect(first.config.database.kind).toBe('pglite');
      expect(first.config.redisUrl).toBeNull();
      const ready = await fetch(`${first.url}/readyz`);
      expect(await ready.json()).toEqual({ status: 'ready', checks: { database: true, cache: true } });
      const tokens = await first
        .client()
        .auth.login.mutate({ email: DEMO_LOGINS.investor, password: DEMO_PASSWORD });
      token = tokens.accessToken;
      const me = await first.client(token).auth.me.query();
      expect(me).toMatchObject({ kind: 'user', email: DEMO_LOGINS.investor, role: 'investor' });
    } finally {
      await first.app.stop();
    }

    const second = await start();
    try {
      // Same data directory: same database (no second demo load) and same signing secret.
      const me = await second.client(token).auth.me.query();
      expect(me).toMatchObject({ kind: 'user', email: DEMO_LOGINS.investor });
      const admin = await second
        .client()
        .auth.login.mutate({ email: DEMO_LOGINS.admin, password: DEMO_PASSWORD });
      const users = await second.client(admin.accessToken).admin.users.list.query({});
      expect(users.items.filter((u) => u.email === DEMO_LOGINS.investor)).toHaveLength(1);
    } finally {
      await second.app.stop();
    }
    // Two PGlite start-ups (each an initdb-sized load of the demo): 20–50 s on a machine running other suites.
  }, 180_000);
});
