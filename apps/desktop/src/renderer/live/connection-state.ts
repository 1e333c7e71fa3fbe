import { formatAge } from '../format/age';

/**
 * What the connection indicator shows, derived from a few facts about the live socket. Kept pure so
 * its rules are tested without a browser: the socket's own callbacks only record facts.
 */
export type ConnectionState = 'live' | 'reconnecting' | 'offline';

export interface ConnectionFacts {
  /** 'open' while every socket the desk holds is open. */
  readonly socket: 'open' | 'connecting';
  /**
   * The sockets closed and not open again. The desk holds two: the page's ('main': queries' streams,
   * alerts, the client and quote screens) and the book worker's ('book': advisor.book.live).
   */
  readonly down: readonly string[];
  /** When the current outage began (the first close or failed attempt), or null while connected. */
  readonly failingSince: number | null;
  /** When the newest live event arrived, or null before the first. */
  readonly lastEventAt: number | null;
  /** The browser's own view of the network (navigator.onLine). */
  readonly online: boolean;
  /** The session ended (expired or revoked) and could not be refreshed: nothing will resume. */
  readonly sessionEnded: boolean;
}

export const INITIAL_FACTS: ConnectionFacts = {
  socket: 'connecting',
  down: [],
  failingSince: null,
  lastEventAt: null,
  online: true,
  sessionEnded: false,
};

/** An outage this long is shown as offline rather than a reconnect in progress (retries continue). */
export const OFFLINE_AFTER_MS = 30_000;

/** Opens and closes name their socket; without a name, the page's own ('main'). */
export type SocketEvent =
  | { readonly type: 'open'; readonly socket?: string }
  | { readonly type: 'close'; readonly socket?: string }
  | { readonly type: 'event' }
  | { readonly type: 'network'; readonly online: boolean }
  | { readonly type: 'session-ended' };

export function nextFacts(facts: ConnectionFacts, event: SocketEvent, now: number): ConnectionFacts {
  switch (event.type) {
    case 'open': {
      const down = facts.down.filter((socket) => socket !== (event.socket ?? 'main'));
      // One socket back while the other is still down is not yet the desk live again.
      if (down.length > 0) return { ...facts, down };
      return { ...facts, down, socket: 'open', failingSince: null, sessionEnded: false };
    }
    case 'close': {
      const socket = event.socket ?? 'main';
      const down = facts.down.includes(socket) ? facts.down : [...facts.down, socket];
      return { ...facts, down, socket: 'connecting', failingSince: facts.failingSince ?? now };
    }
    case 'event':
      return { ...facts, lastEventAt: now };
    case 'network':
      return { ...facts, online: event.online };
    case 'session-ended':
      return { ...facts, sessionEnded: true };
  }
}

export interface ConnectionView {
  readonly state: ConnectionState;
  /** A word or two for the indicator. */
  readonly label: string;
  /** A sentence for the tooltip and the banner. */
  readonly detail: string;
}

export function connectionView(facts: ConnectionFacts, now: number): ConnectionView {
  const newest =
    facts.lastEventAt === null ? 'no update yet' : `last update ${formatAge(now - facts.lastEventAt)} ago`;
  if (facts.sessionEnded) {
    return {
      state: 'offline',
      label: 'signed out',
      detail: 'Your session has ended. Sign in again to resume.',
    };
  }
  if (!facts.online) {
    return { state: 'offline', label: 'offline', detail: `This computer is offline; ${newest}.` };
  }
  if (facts.socket === 'open') {
    const age = facts.lastEventAt === null ? '' : ` · ${formatAge(now - facts.lastEventAt)}`;
    return { state: 'live', label: `live${age}`, detail: `Connected; ${newest}.` };
  }
  if (facts.failingSince !== null && now - facts.failingSince >= OFFLINE_AFTER_MS) {
    return {
      state: 'offline',
      label: 'offline',
      detail: `The server has not answered for ${formatAge(now - facts.failingSince)}; still retrying. Figures show the ${newest}.`,
    };
  }
  return {
    state: 'reconnecting',
    label: facts.failingSince === null ? 'connecting' : 'reconnecting',
    detail:
      facts.failingSince === null
        ? 'Connecting to the server…'
        : `Connection lost; reconnecting and resuming from the last update (${newest}).`,
  };
}
