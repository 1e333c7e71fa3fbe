import type { DesktopBridge } from '../../shared/bridge';

/** What the desk keeps between visits: where it signed in, as whom, and the refresh token. */
export interface StoredSession {
  readonly serverUrl: string;
  readonly email: string;
  readonly refreshToken: string;
  readonly refreshTokenExpiresAt: string;
}

export interface TokenStore {
  load(): Promise<StoredSession | null>;
  save(session: StoredSession | null): Promise<void>;
  /** Whether a sign-in is kept beyond this window (local storage, the Electron store) or not. */
  readonly persistent: boolean;
}

const KEY = 'tickfolio.desk.session';

function parse(text: string | null): StoredSession | null {
  if (!text) return null;
  try {
    const value = JSON.parse(text) as Partial<StoredSession>;
    if (
      typeof value.serverUrl === 'string' &&
      typeof value.email === 'string' &&
      typeof value.refreshToken === 'string' &&
      typeof value.refreshTokenExpiresAt === 'string'
    ) {
      return value as StoredSession;
    }
  } catch {
    // A damaged record is the same as none: sign in again.
  }
  return null;
}

/** Electron: the main process keeps the record, encrypted with the OS keychain (safeStorage). */
function bridgeStore(bridge: DesktopBridge): TokenStore {
  return {
    persistent: true,
    load: async () => parse(await bridge.session.load()),
    save: (session) => bridge.session.save(session ? JSON.stringify(session) : null),
  };
}

/**
 * Browser: the refresh token in web storage; the access token only ever in memory. "Keep me signed in"
 * chooses localStorage (survives closing the browser), otherwise sessionStorage (this tab only, gone
 * when it closes). Both are readable by script on the page, which the page's CSP (script-src 'self',
 * no inline script) keeps to the desk's own code; see apps/desktop/README.md.
 */
function webStore(remember: boolean): TokenStore {
  const chosen = remember ? localStorage : sessionStorage;
  const other = remember ? sessionStorage : localStorage;
  return {
    persistent: remember,
    load: async () => parse(chosen.getItem(KEY)),
    async save(session) {
      other.removeItem(KEY);
      if (session) chosen.setItem(KEY, JSON.stringify(session));
      else chosen.removeItem(KEY);
    },
  };
}

/** The store for a new sign-in. */
export function tokenStoreFor(remember: boolean): TokenStore {
  return window.tickfolio ? bridgeStore(window.tickfolio) : webStore(remember);
}

/** The store a previous visit used, if any: Electron's, this tab's, then the remembered one. */
export async function findStoredSession(): Promise<{ store: TokenStore; session: StoredSession } | null> {
  const candidates = window.tickfolio ? [bridgeStore(window.tickfolio)] : [webStore(false), webStore(true)];
  for (const store of candidates) {
    const session = await store.load();
    if (session) return { store, session };
  }
  return null;
}
