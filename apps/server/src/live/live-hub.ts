import type { LoggedEvent, PortfolioEventLog } from '../bus/ports';
import type { Logger } from '../logger';

export type LiveListener = (event: LoggedEvent) => void;

/**
 * This replica's relay of PORTFOLIO: one follower of the log fans events out to the local subscribers.
 * `position` is the sequence of the last event relayed: a new subscriber gets every later event live
 * and reads earlier ones from the log.
 */
export interface LiveHub {
  subscribe(listener: LiveListener): { readonly position: number; unsubscribe(): void };
  read: PortfolioEventLog['read'];
  /** Aborts when the relay stops (server shutdown): every live stream then ends. */
  readonly closed: AbortSignal;
}

export function createLiveHub(log: PortfolioEventLog, logger: Logger) {
  const listeners = new Set<LiveListener>();
  let position = 0;
  const stop = new AbortController();

  const hub: LiveHub = {
    subscribe(listener) {
      listeners.add(listener);
      return { position, unsubscribe: () => listeners.delete(listener) };
    },
    read: (filter, fromSeq, toSeq, signal) => log.read(filter, fromSeq, toSeq, signal),
    closed: stop.signal,
  };

  return {
    hub,
    async start(): Promise<void> {
      const start = await log.follow((event) => {
        position = Math.max(position, event.seq);
        for (const listener of listeners) {
          try {
            listener(event);
          } catch (err) {
            logger.error({ err, seq: event.seq }, 'live listener failed');
          }
        }
      }, stop.signal);
      position = Math.max(position, start);
    },
    stop(): void {
      stop.abort();
      listeners.clear();
    },
  };
}
