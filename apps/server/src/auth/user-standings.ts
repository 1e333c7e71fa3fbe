import type { SessionRevocations } from '@tickfolio/bus';
import { type Db, users } from '@tickfolio/db';
import type { Logger } from '@tickfolio/process';
import { createSweptRows } from '../memory/swept-rows';

/**
 * How old a remembered user may be when a call is signed in with it. A revocation (a token version
 * bumped, a user disabled) takes effect on every replica within this, even when its announcement is
 * lost; announced, it takes effect as soon as each replica hears of it.
 */
export const STANDING_MAX_AGE_MS = 800;
const STANDING_SWEEP_MS = 250;
/**
 * Users who made no call for this long are no longer remembered (nor swept): the sweep's cost follows
 * the users calling now, and an idle user's next call reads their row itself.
 */
const STANDING_IDLE_MS = 30_000;

/**
 * The users behind this replica's calls as stored, without a database read per call (session.ts judges
 * them): read once, kept current by the sweep of swept-rows.ts and forgotten at once when a change is
 * announced on the bus.
 */
export interface UserStandings {
  /** The user as stored at most STANDING_MAX_AGE_MS ago; undefined when there is none. */
  get(userId: string): Promise<users.User | undefined>;
  /**
   * After a committed change that cuts the user's sessions short: forgotten here at once, and on every
   * other replica as soon as it hears the announcement.
   */
  revoked(userId: string): void;
  start(): void;
  stop(): void;
}

export function createUserStandings(deps: {
  readonly db: Db;
  readonly revocations: SessionRevocations;
  readonly log: Pick<Logger, 'warn'>;
}): UserStandings {
  const rows = createSweptRows<users.User>({
    name: 'user standings',
    load: async (ids) => new Map((await users.findUsersByIds(deps.db, ids)).map((u) => [u.id, u])),
    sweepMs: STANDING_SWEEP_MS,
    maxAgeMs: STANDING_MAX_AGE_MS,
    idleMs: STANDING_IDLE_MS,
    now: () => performance.now(),
    log: deps.log,
  });
  let unfollow: (() => void) | undefined;
  return {
    get: rows.get,
    revoked(userId) {
      rows.forget(userId);
      deps.revocations.announce(userId);
    },
    start() {
      unfollow ??= deps.revocations.follow(rows.forget);
      rows.start();
    },
    stop() {
      unfollow?.();
      unfollow = undefined;
      rows.stop();
    },
  };
}
