import type { apiClients, users } from '@tickfolio/db';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AuthError } from '../auth/auth-errors';
import type { Session } from '../auth/session';
import { createSessionWatch, type SessionStates } from './session-watch';

const INTERVAL_MS = 1000;
const T0 = new Date('2026-11-25T10:00:00Z');

function user(id: string, changes: Partial<users.User> = {}): users.User {
  return {
    id,
    email: `${id}@example.test`,
    displayName: id,
    role: 'investor',
    baseCurrency: 'USD',
    disabledAt: null,
    tokenVersion: 0,
    createdAt: T0.toISOString(),
    updatedAt: T0.toISOString(),
    ...changes,
  };
}

function client(clientId: string, changes: Partial<apiClients.ApiClient> = {}): apiClients.ApiClient {
  return {
    id: `id-${clientId}`,
    clientId,
    name: clientId,
    scopes: ['instruments:read'],
    disabledAt: null,
    createdAt: T0.toISOString(),
    ...changes,
  };
}

const userSession = (userId: string, expiresInSeconds = 900, tokenVersion = 0): Session => ({
  principal: { kind: 'user', userId, role: 'investor' },
  tokenVersion,
  expiresAt: new Date(T0.getTime() + expiresInSeconds * 1000),
});

const serviceSession = (clientId: string): Session => ({
  principal: { kind: 'service', clientId, scopes: ['instruments:read'] },
  tokenVersion: null,
  expiresAt: new Date(T0.getTime() + 900_000),
});

/** The stored state, as the test sets it, and the look-ups made (each one query). */
function fakeStates() {
  const stored = { users: new Map<string, users.User>(), clients: new Map<string, apiClients.ApiClient>() };
  const lookups: { users: string[][]; clients: string[][] } = { users: [], clients: [] };
  let failing = false;
  const states: SessionStates = {
    async users(ids) {
      lookups.users.push([...ids]);
      if (failing) throw new Error('database unreachable');
      return ids.flatMap((id) => stored.users.get(id) ?? []);
    },
    async clients(ids) {
      lookups.clients.push([...ids]);
      if (failing) throw new Error('database unreachable');
      return ids.flatMap((id) => stored.clients.get(id) ?? []);
    },
  };
  const fail = (on: boolean) => {
    failing = on;
  };
  return { stored, lookups, states, fail };
}

const reasonOf = (signal: AbortSignal) => (signal.reason as AuthError | undefined)?.code;

describe('session watch', () => {
  let clock: Date;
  beforeEach(() => {
    clock = T0;
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function watchWith(states: SessionStates) {
    return createSessionWatch({
      states,
      now: () => clock,
      intervalMs: INTERVAL_MS,
      log: pino({ level: 'silent' }),
    });
  }

  it('checks every open stream with one look-up per kind each interval, however many streams a user holds', async () => {
    const { stored, lookups, states } = fakeStates();
    stored.users.set('ann', user('ann'));
    stored.users.set('bob', user('bob'));
    stored.clients.set('tfc_a', client('tfc_a'));
    const watch = watchWith(states);
    const streams = [
      watch.watch(userSession('ann')),
      watch.watch(userSession('ann')),
      watch.watch(userSession('ann')),
      watch.watch(userSession('bob')),
      watch.watch(serviceSession('tfc_a')),
    ];
    await vi.advanceTimersByTimeAsync(INTERVAL_MS);
    expect(lookups.users).toEqual([['ann', 'bob']]);
    expect(lookups.clients).toEqual([['tfc_a']]);
    await vi.advanceTimersByTimeAsync(INTERVAL_MS);
    expect(lookups.users).toHaveLength(2);
    expect(streams.every((s) => !s.ended.aborted)).toBe(true);

    // Released streams are no longer read; with none left, the watch stops reading at all.
    for (const s of streams) s.release();
    await vi.advanceTimersByTimeAsync(5 * INTERVAL_MS);
    expect(lookups.users).toHaveLength(2);
  });

  it('ends the streams of a disabled user, of a revoked token version and of a disabled client, with their reasons', async () => {
    const { stored, states } = fakeStates();
    for (const id of ['ann', 'bob', 'cid']) stored.users.set(id, user(id));
    stored.clients.set('tfc_a', client('tfc_a'));
    const watch = watchWith(states);
    const ann = watch.watch(userSession('ann'));
    const bob = watch.watch(userSession('bob'));
    const cid = watch.watch(userSession('cid'));
    const service = watch.watch(serviceSession('tfc_a'));
    const gone = watch.watch(userSession('nobody'));

    stored.users.set('ann', user('ann', { disabledAt: T0.toISOString(), tokenVersion: 1 }));
    stored.users.set('bob', user('bob', { tokenVersion: 1 }));
    stored.clients.set('tfc_a', client('tfc_a', { disabledAt: T0.toISOString() }));
    await vi.advanceTimersByTimeAsync(INTERVAL_MS);

    expect(reasonOf(ann.ended)).toBe('ACCOUNT_DISABLED');
    expect(reasonOf(bob.ended)).toBe('SESSION_REVOKED');
    expect(reasonOf(service.ended)).toBe('INVALID_CLIENT');
    expect(reasonOf(gone.ended)).toBe('INVALID_TOKEN');
    expect(cid.ended.aborted).toBe(false);
    expect(ann.ended.reason).toBeInstanceOf(AuthError);
  });

  it('ends a stream when its token expires, without reading anything, and keeps streams open while reads fail', async () => {
    const { stored, states, lookups, fail } = fakeStates();
    stored.users.set('ann', user('ann'));
    const watch = watchWith(states);
    const short = watch.watch(userSession('ann', 2));
    const long = watch.watch(userSession('ann', 900));

    fail(true);
    await vi.advanceTimersByTimeAsync(INTERVAL_MS);
    expect(short.ended.aborted).toBe(false);
    expect(long.ended.aborted).toBe(false);

    clock = new Date(T0.getTime() + 2000);
    await vi.advanceTimersByTimeAsync(INTERVAL_MS);
    expect(reasonOf(short.ended)).toBe('TOKEN_EXPIRED');
    expect(long.ended.aborted).toBe(false);

    // The database back: the revocation missed while it was away is seen now.
    fail(false);
    stored.users.set('ann', user('ann', { tokenVersion: 1 }));
    const before = lookups.users.length;
    await vi.advanceTimersByTimeAsync(INTERVAL_MS);
    expect(lookups.users.length).toBe(before + 1);
    expect(reasonOf(long.ended)).toBe('SESSION_REVOKED');
  });
});
