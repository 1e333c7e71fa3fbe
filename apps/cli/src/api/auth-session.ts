import type { AppRouter } from '@tickfolio/api';
import { createTRPCClient, httpLink, TRPCClientError } from '@trpc/client';
import { CliError, EXIT, sessionEnded } from '../errors';
import type { Session, SessionStore } from './session-store';

/** Refresh a little before the access token expires, so a call does not fail half-way. */
const EXPIRY_MARGIN_MS = 30_000;

export interface TokenPair {
  readonly accessToken: string;
  readonly accessTokenExpiresAt: string;
  readonly refreshToken: string;
  readonly refreshTokenExpiresAt: string;
}

/**
 * The signed-in session for one server: hands out a fresh access token, refreshing it silently with
 * the stored refresh token (once at a time in this process, under the file lock across processes).
 */
export function createAuthSession(serverUrl: string, store: SessionStore, now: () => number = Date.now) {
  // Sign-in calls carry no token and must not go through the refreshing link.
  const anonymous = createTRPCClient<AppRouter>({ links: [httpLink({ url: `${serverUrl}/trpc` })] });
  let cached: Session | undefined;
  let loaded = false;
  let refreshing: Promise<Session> | undefined;

  async function current(): Promise<Session | undefined> {
    if (!loaded) {
      cached = await store.get(serverUrl);
      loaded = true;
    }
    return cached;
  }

  const expiresSoon = (s: Session) => Date.parse(s.accessTokenExpiresAt) - EXPIRY_MARGIN_MS <= now();

  async function refreshNow(stale: Session): Promise<Session> {
    return store.withLock(async () => {
      // Another process may have refreshed while this one waited: use its tokens, spend nothing.
      const onDisk = await store.get(serverUrl);
      if (onDisk && onDisk.refreshToken !== stale.refreshToken && !expiresSoon(onDisk)) return onDisk;
      const spend = onDisk ?? stale;
      try {
        const pair = await anonymous.auth.refresh.mutate({ refreshToken: spend.refreshToken });
        const next: Session = { email: spend.email, ...pick(pair) };
        await store.put(serverUrl, next);
        return next;
      } catch (error) {
        if (error instanceof TRPCClientError && error.data?.code === 'UNAUTHORIZED') {
          await store.remove(serverUrl);
          throw sessionEnded();
        }
        throw error;
      }
    });
  }

  return {
    serverUrl,
    current,
    /** A usable access token, or undefined when not signed in here. */
    async accessToken(): Promise<string | undefined> {
      const session = await current();
      if (!session) return undefined;
      return (expiresSoon(session) ? await this.refresh() : session).accessToken;
    },
    /** Spends the refresh token for a new pair; concurrent callers share one refresh. */
    async refresh(): Promise<Session> {
      const session = await current();
      if (!session) throw new CliError('You are not signed in.', EXIT.auth, 'Run `tickfolio login`.');
      refreshing ??= refreshNow(session).finally(() => {
        refreshing = undefined;
      });
      cached = await refreshing;
      return cached;
    },
    async login(email: string, password: string): Promise<Session> {
      try {
        const pair = await anonymous.auth.login.mutate({ email, password });
        cached = { email, ...pick(pair) };
        loaded = true;
        await store.put(serverUrl, cached);
        return cached;
      } catch (error) {
        if (error instanceof TRPCClientError && error.data?.code === 'UNAUTHORIZED') {
          throw new CliError('Wrong email or password.', EXIT.auth, 'Check both and try again.');
        }
        throw error;
      }
    },
    /**
     * Keeps a new token pair the server issued for this session's person (a password change revokes
     * every earlier token and answers with fresh ones).
     */
    async adopt(pair: TokenPair): Promise<void> {
      const session = await current();
      if (!session) throw new CliError('You are not signed in.', EXIT.auth, 'Run `tickfolio login`.');
      cached = { email: session.email, ...pick(pair) };
      await store.put(serverUrl, cached);
    },
    /**
     * Revokes the refresh token on the server and forgets the session here (here even when the
     * server cannot be reached: `revoked` says whether the server was told).
     */
    async logout(): Promise<{ signedIn: boolean; revoked: boolean }> {
      const session = await current();
      if (!session) return { signedIn: false, revoked: false };
      const revoked = await anonymous.auth.logout.mutate({ refreshToken: session.refreshToken }).then(
        () => true,
        () => false,
      );
      await store.remove(serverUrl);
      cached = undefined;
      return { signedIn: true, revoked };
    },
  };
}

export type AuthSession = ReturnType<typeof createAuthSession>;

function pick(pair: TokenPair): TokenPair {
  return {
    accessToken: pair.accessToken,
    accessTokenExpiresAt: pair.accessTokenExpiresAt,
    refreshToken: pair.refreshToken,
    refreshTokenExpiresAt: pair.refreshTokenExpiresAt,
  };
}
