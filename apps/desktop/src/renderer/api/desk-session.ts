import type { AppRouter } from '@tickfolio/api';
import { createTRPCClient, httpLink, TRPCClientError } from '@trpc/client';
import type { StoredSession, TokenStore } from './token-store';

/** Refresh a minute before the access token expires, so neither a call nor the live socket sees it lapse. */
const EXPIRY_MARGIN_MS = 60_000;

interface Tokens {
  readonly accessToken: string;
  readonly accessTokenExpiresAt: string;
  readonly refreshToken: string;
  readonly refreshTokenExpiresAt: string;
}

/** Why a session could not go on: the server said no (sign in again) or could not be reached (retry). */
export class SessionEndedError extends Error {
  override readonly name = 'SessionEndedError';
}

/**
 * One signed-in advisor on one server: a fresh access token on demand, refreshed silently (one refresh
 * at a time, and across this browser's tabs under a Web Lock, because the server rotates refresh tokens
 * and treats a spent one used again as theft, revoking the session).
 */
export function createDeskSession(serverUrl: string, store: TokenStore) {
  const anonymous = createTRPCClient<AppRouter>({ links: [httpLink({ url: `${serverUrl}/trpc` })] });
  let tokens: Tokens | null = null;
  let email = '';
  let refreshing: Promise<Tokens> | null = null;
  let ended = false;
  const tokenListeners = new Set<(token: string) => void>();
  const endListeners = new Set<() => void>();
  let timer: ReturnType<typeof setTimeout> | undefined;

  const stored = (t: Tokens): StoredSession => ({
    serverUrl,
    email,
    refreshToken: t.refreshToken,
    refreshTokenExpiresAt: t.refreshTokenExpiresAt,
  });

  function adopt(next: Tokens): Tokens {
    tokens = next;
    for (const listener of tokenListeners) listener(next.accessToken);
    // Refreshed ahead of expiry, so a quiet screen keeps its live socket signed in.
    clearTimeout(timer);
    const due = Date.parse(next.accessTokenExpiresAt) - EXPIRY_MARGIN_MS - Date.now();
    timer = setTimeout(() => void session.refresh().catch(() => undefined), Math.max(5_000, due));
    return next;
  }

  function end(): void {
    if (ended) return;
    ended = true;
    clearTimeout(timer);
    tokens = null;
    for (const listener of endListeners) listener();
  }

  async function withLock<T>(work: () => Promise<T>): Promise<T> {
    const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
    return locks ? locks.request('tickfolio.desk.refresh', work) : work();
  }

  async function refreshNow(spend: string): Promise<Tokens> {
    return withLock(async () => {
      // Another tab may have spent the token while this one waited: spend the newest stored one.
      const onDisk = await store.load();
      const token = onDisk && onDisk.serverUrl === serverUrl ? onDisk.refreshToken : spend;
      try {
        const pair = await anonymous.auth.refresh.mutate({ refreshToken: token });
        await store.save(stored(pair));
        return adopt(pair);
      } catch (error) {
        if (error instanceof TRPCClientError && error.data?.code === 'UNAUTHORIZED') {
          await store.save(null);
          end();
          throw new SessionEndedError('Your session has ended. Sign in again.');
        }
        throw error;
      }
    });
  }

  const session = {
    serverUrl,
    get email() {
      return email;
    },
    get ended() {
      return ended;
    },
    async login(address: string, password: string): Promise<void> {
      const pair = await anonymous.auth.login.mutate({ email: address, password });
      email = address;
      ended = false;
      await store.save(stored(pair));
      adopt(pair);
    },
    /** Resumes a stored session by spending its refresh token. */
    async resume(saved: StoredSession): Promise<void> {
      email = saved.email;
      await session.refreshWith(saved.refreshToken);
    },
    async refreshWith(refreshToken: string): Promise<void> {
      refreshing ??= refreshNow(refreshToken).finally(() => {
        refreshing = null;
      });
      await refreshing;
    },
    /** Spends the refresh token for a new pair; concurrent callers share one refresh. */
    async refresh(): Promise<void> {
      if (!tokens) throw new SessionEndedError('You are not signed in.');
      await session.refreshWith(tokens.refreshToken);
    },
    /** A usable access token (refreshed first when about to expire). */
    async accessToken(): Promise<string> {
      if (!tokens) throw new SessionEndedError('You are not signed in.');
      if (Date.parse(tokens.accessTokenExpiresAt) - EXPIRY_MARGIN_MS <= Date.now()) await session.refresh();
      return tokens!.accessToken;
    },
    /** Revokes the refresh token on the server (best effort) and forgets the session here. */
    async logout(): Promise<void> {
      const held = tokens;
      await store.save(null);
      if (held)
        await anonymous.auth.logout.mutate({ refreshToken: held.refreshToken }).catch(() => undefined);
      end();
    },
    /** Called with each new access token (the live socket reconnects with it). */
    onToken(listener: (token: string) => void): () => void {
      tokenListeners.add(listener);
      return () => tokenListeners.delete(listener);
    },
    /** Called once when the session ends: signed out, or refused by the server. */
    onEnd(listener: () => void): () => void {
      endListeners.add(listener);
      return () => endListeners.delete(listener);
    },
  };
  return session;
}

export type DeskSession = ReturnType<typeof createDeskSession>;
