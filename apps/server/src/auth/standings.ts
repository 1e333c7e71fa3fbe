import type { SessionRevocations } from '@tickfolio/bus';
import { apiClients, type Db, users } from '@tickfolio/db';
import type { Logger } from '@tickfolio/process';
import { createSweptRows } from '../memory/swept-rows';

/**
 * How old a remembered user or API client may be when a call is signed in with it. A revocation (a token
 * version bumped, a user or client disabled) takes effect on every replica within this, even when its
 * announcement is lost; announced, it takes effect as soon as each replica hears of it.
 */
export const STANDING_MAX_AGE_MS = 800;
const STANDING_SWEEP_MS = 250;
/**
 * Principals who made no call for this long are no longer remembered (nor swept): the sweep's cost
 * follows the principals calling now, and an idle one's next call reads its row itself.
 */
const STANDING_IDLE_MS = 30_000;

/**
 * The users and API clients behind this replica's calls as stored, without a database read per call
 * (session.ts judges them): read once, kept current by the sweep of swept-rows.ts and forgotten at once
 * when a change is announced on the bus.
 */
export interface Standings {
  /** The user as stored at most STANDING_MAX_AGE_MS ago; undefined when there is none. */
  user(userId: string): Promise<users.User | undefined>;
  /** The API client (by its client id) as stored at most STANDING_MAX_AGE_MS ago. */
  client(clientId: string): Promise<apiClients.ApiClient | undefined>;
  /**
   * After a committed change that cuts the user's sessions short: forgotten here at once, and on every
   * other replica as soon as it hears the announcement.
   */
  userRevoked(userId: string): void;
  /** The same after a committed change to an API client (disabled, scopes narrowed). */
  clientRevoked(clientId: string): void;
  start(): void;
  stop(): void;
}

export function createStandings(deps: {
  readonly db: Db;
  readonly revocations: SessionRevocations;
  readonly log: Pick<Logger, 'warn'>;
}): Standings {
  function remembered<V>(name: string, load: (ids: readonly string[]) => Promise<Map<string, V>>) {
    return createSweptRows<V>({
      name,
      load,
      sweepMs: STANDING_SWEEP_MS,
      maxAgeMs: STANDING_MAX_AGE_MS,
      idleMs: STANDING_IDLE_MS,
      now: () => performance.now(),
      log: deps.log,
    });
  }
  const userRows = remembered('user standings', async (ids) => {
    return new Map((await users.findUsersByIds(deps.db, ids)).map((u) => [u.id, u]));
  });
  const clientRows = remembered('API client standings', async (ids) => {
    return new Map((await apiClients.findApiClientsByClientIds(deps.db, ids)).map((c) => [c.clientId, c]));
  });
  // One announcement subject carries user ids (UUIDs) and client ids (`tfc_…`): a key is forgotten in
  // both memories, which costs nothing where it is not, and holds whatever a client id looks like.
  const forget = (key: string) => {
    userRows.forget(key);
    clientRows.forget(key);
  };
  const revoked = (key: string) => {
    forget(key);
    deps.revocations.announce(key);
  };
  let unfollow: (() => void) | undefined;
  return {
    user: userRows.get,
    client: clientRows.get,
    userRevoked: revoked,
    clientRevoked: revoked,
    start() {
      unfollow ??= deps.revocations.follow(forget);
      userRows.start();
      clientRows.start();
    },
    stop() {
      unfollow?.();
      unfollow = undefined;
      userRows.stop();
      clientRows.stop();
    },
  };
}
