import { randomBytes } from 'node:crypto';
import { DEMO_LOGINS } from '@tickfolio/db/demo';
import { testRedisKeyPrefix } from '@tickfolio/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openTestBroker, type TestBroker } from './support/pipeline-broker';
import { clientCredentialsToken } from './support/service-token';
import { startTestServer, type TestServer } from './support/test-server';

/** The bound every replica keeps: a revocation is honoured by any call made this long after it. */
const REVOCATION_BOUND_MS = 1000;
const WAIT = { timeout: 20_000, interval: 10 };

type ReplicaClient = ReturnType<TestServer['client']>;

/**
 * Calls each replica until it refuses the token, and returns when each call they still accepted began,
 * in ms after the revocation was answered.
 */
async function acceptedUntilRefused(replicas: readonly ReplicaClient[], answered: number): Promise<number[]> {
  const acceptedAfter: number[] = [];
  for (const replica of replicas) {
    await vi.waitFor(async () => {
      const began = performance.now();
      const accepted = await replica.auth.me.query().then(
        () => true,
        (error: { data?: { code?: string } }) => {
          expect(error.data?.code).toBe('UNAUTHORIZED');
          return false;
        },
      );
      if (accepted) acceptedAfter.push(began - answered);
      expect(accepted).toBe(false);
    }, WAIT);
  }
  return acceptedAfter;
}

/**
 * Two replicas on one database and cache, each remembering the users behind its calls: an admin disables
 * a user (or an API client) on one of them, and its token must stop working on both within a second of
 * the answer.
 * Every call is timed from when it began, so a slow machine makes the calls later, never wrongly accepted.
 */
function revocationAcrossReplicas(setting: { readonly broker: boolean }) {
  let broker: TestBroker | undefined;
  let a: TestServer;
  let b: TestServer;

  beforeAll(async () => {
    broker = setting.broker ? await openTestBroker() : undefined;
    // As deployed: one JWT secret and one cache namespace for all replicas.
    const shared = {
      ...(broker?.env ?? {}),
      JWT_SECRET: randomBytes(32).toString('base64url'),
      REDIS_KEY_PREFIX: testRedisKeyPrefix(),
    };
    a = await startTestServer(shared);
    b = await startTestServer({ ...shared, DATABASE_URL: (a.config.database as { url: string }).url });
  });

  afterAll(async () => {
    await b?.stop();
    await a?.stop();
    await broker?.close();
  });

  it('stops the disabled user’s token on both replicas within a second', async () => {
    const investor = await a.login(DEMO_LOGINS.investor);
    const admin = (await a.login(DEMO_LOGINS.admin)).client;
    const onA = a.client(investor.token);
    const onB = b.client(investor.token);
    // Both replicas remember the user, as after a while of use.
    const me = await onA.auth.me.query();
    await onB.auth.me.query();

    if (me.kind !== 'user') throw new Error('the investor signs in as a user');
    await admin.admin.users.disable.mutate({ userId: me.id });
    const answered = performance.now();

    const acceptedAfter = await acceptedUntilRefused([onB, onA], answered);
    expect(acceptedAfter.filter((ms) => ms >= REVOCATION_BOUND_MS)).toEqual([]);
  });

  it('stops a disabled API client’s token on both replicas within a second', async () => {
    const admin = (await a.login(DEMO_LOGINS.admin)).client;
    const created = await admin.admin.apiClients.create.mutate({
      name: 'revoked',
      scopes: ['instruments:read'],
    });
    const token = await clientCredentialsToken(a.url, created.clientId, created.clientSecret);
    const onA = a.client(token);
    const onB = b.client(token);
    // Both replicas remember the client.
    await onA.auth.me.query();
    await onB.auth.me.query();

    await admin.admin.apiClients.disable.mutate({ clientId: created.clientId });
    const answered = performance.now();
    const acceptedAfter = await acceptedUntilRefused([onB, onA], answered);
    expect(acceptedAfter.filter((ms) => ms >= REVOCATION_BOUND_MS)).toEqual([]);
  });
}

describe('a revocation announced over the broker, across two replicas', () => {
  revocationAcrossReplicas({ broker: true });
});

describe('a revocation nobody announces (no broker between the replicas): the sweep alone', () => {
  revocationAcrossReplicas({ broker: false });
});
