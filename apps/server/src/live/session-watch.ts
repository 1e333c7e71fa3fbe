import type { apiClients, users } from '@tickfolio/db';
import type { Logger } from '@tickfolio/process';
import { AuthError } from '../auth/auth-errors';
import { assertUserTokenStands, type Session, standingServicePrincipal } from '../auth/session';

/** The stored state of the users and clients behind open streams, each kind read in one query. */
export interface SessionStates {
  users(ids: readonly string[]): Promise<readonly users.User[]>;
  clients(clientIds: readonly string[]): Promise<readonly apiClients.ApiClient[]>;
}

export interface SessionWatchDeps {
  readonly states: SessionStates;
  readonly now: () => Date;
  /** How often every watched session is checked. */
  readonly intervalMs: number;
  readonly log: Logger;
}

/** One stream's watched session. */
export interface WatchedSession {
  /** Aborts, with the AuthError as its reason, when the session no longer stands. */
  readonly ended: AbortSignal;
  /** Stops watching (the stream ended). */
  release(): void;
}

export interface SessionWatch {
  watch(session: Session): WatchedSession;
}

/**
 * Keeps the sessions of this replica's open live streams honest: every intervalMs it ends those whose
 * token has expired (TOKEN_EXPIRED), then reads the users and clients behind the rest — all of them in
 * one query per kind, however many streams each holds — and ends those that no longer stand by the rule
 * a call's sign-in applies (ACCOUNT_DISABLED, SESSION_REVOKED, INVALID_CLIENT). A stream thus ends at
 * most one interval after its token expires or is revoked.
 *
 * A read that fails leaves the streams open until the next interval's (expiry needs no read, so a
 * stream never outlives its token). Only sessions watched before a read started are judged by it: the
 * read then sees at least what their sign-in saw, so a fresh token is never taken for a revoked one.
 */
export function createSessionWatch(deps: SessionWatchDeps): SessionWatch {
  const watched = new Map<AbortController, Session>();
  let timer: NodeJS.Timeout | undefined;
  let checking = false;

  function end(entry: AbortController, reason: unknown): void {
    if (!watched.delete(entry)) return;
    entry.abort(reason);
    idleStop();
  }

  function idleStop(): void {
    if (watched.size > 0 || timer === undefined) return;
    clearInterval(timer);
    timer = undefined;
  }

  async function check(): Promise<void> {
    if (checking) return;
    checking = true;
    try {
      const now = deps.now().getTime();
      for (const [entry, session] of watched) {
        if (session.expiresAt.getTime() <= now) end(entry, new AuthError('TOKEN_EXPIRED'));
      }
      const judged = [...watched];
      if (judged.length === 0) return;
      const userIds = new Set<string>();
      const clientIds = new Set<string>();
      for (const [, { principal }] of judged) {
        if (principal.kind === 'user') userIds.add(principal.userId);
        else clientIds.add(principal.clientId);
      }
      let stored: [readonly users.User[], readonly apiClients.ApiClient[]];
      try {
        stored = await Promise.all([deps.states.users([...userIds]), deps.states.clients([...clientIds])]);
      } catch (error) {
        deps.log.warn({ err: error }, 'live streams: session re-check failed; trying again next interval');
        return;
      }
      const usersById = new Map(stored[0].map((u) => [u.id, u]));
      const clientsById = new Map(stored[1].map((c) => [c.clientId, c]));
      for (const [entry, session] of judged) {
        const { principal } = session;
        try {
          if (principal.kind === 'user') {
            assertUserTokenStands(usersById.get(principal.userId), session.tokenVersion);
          } else {
            standingServicePrincipal(clientsById.get(principal.clientId), principal);
          }
        } catch (error) {
          end(entry, error);
        }
      }
    } finally {
      checking = false;
    }
  }

  return {
    watch(session) {
      const entry = new AbortController();
      watched.set(entry, session);
      if (timer === undefined) {
        timer = setInterval(() => void check(), deps.intervalMs);
        // The streams keep the process alive, not their watch.
        timer.unref();
      }
      return {
        ended: entry.signal,
        release() {
          watched.delete(entry);
          idleStop();
        },
      };
    },
  };
}
