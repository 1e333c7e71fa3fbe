import {
  type LoggedEvent,
  type PortfolioChangedEvent,
  type PortfolioEventLog,
  portfolioChangedSubject,
} from '@tickfolio/bus';
import type { Logger } from '@tickfolio/process';
import type { LiveValuations } from './live-valuations';

export type LiveListener = (event: LoggedEvent) => void;

/**
 * That an owner's totals moved: the sequence and the event's instant and cause. The totals are derived
 * when the subscriber takes it (hub.derive), so a change its queue coalesces away costs nothing, and a
 * ledger event that arrives late (sent again after a broker outage) shows the current totals, not the
 * ones it was sent with.
 */
export interface OwnerChange {
  readonly seq: number;
  readonly ownerId: string;
  readonly asOf?: string;
  readonly cause?: PortfolioChangedEvent['cause'];
}

export type OwnerListener = (change: OwnerChange) => void;

/** A subscriber's watch on owners' totals; owners can be added (an advisor's new client). */
export interface OwnerWatch {
  readonly position: number;
  add(ownerId: string): void;
  unwatch(): void;
}

/**
 * This replica's relay of PORTFOLIO: one follower of the log fans events out to the local subscribers.
 * `position` is the sequence of the last event relayed: a new subscriber gets every later event live
 * and reads earlier ones from the log.
 *
 * Portfolio totals are not on the log per owner: when a price, rate or ledger event arrives, the hub
 * tells the watchers of the owners it moved (holders of the instrument; every watched owner for a
 * rate; the owner for a ledger event), and each subscriber derives the current totals from this
 * replica's index when it takes the change, tracked with the sequence of the event that caused it.
 */
export interface LiveHub {
  subscribe(listener: LiveListener): { readonly position: number; unsubscribe(): void };
  /** Derived portfolio-changed events of the given owners. */
  watch(ownerIds: Iterable<string>, listener: OwnerListener): OwnerWatch;
  /**
   * The owner's current totals as a portfolio-changed event tracked with the change's sequence (with no
   * asOf and cause: those of the newest price in them); undefined when the owner is unknown.
   */
  derive(change: OwnerChange, withAccounts: boolean): LoggedEvent | undefined;
  read: PortfolioEventLog['read'];
  /** Aborts when the relay stops (server shutdown): every live stream then ends. */
  readonly closed: AbortSignal;
}

/**
 * Builds the relay over the log and this replica's valuations (moved by each event first, then read
 * for the subscribers' totals).
 */
export function createLiveHub(log: PortfolioEventLog, valuations: LiveValuations, logger: Logger) {
  const listeners = new Set<LiveListener>();
  /** Owner → the listeners watching its totals. */
  const watchers = new Map<string, Set<OwnerListener>>();
  let position = 0;
  const stop = new AbortController();
  /**
   * Per instrument, its holders that someone here watches: a tick fans out to these instead of testing
   * every holder (about a tenth of all users). Kept while the holders list (replaced after a ledger
   * write) and the set of watched owners stay the same.
   */
  const watchedHolders = new Map<string, { holders: readonly string[]; watched: readonly string[] }>();

  function watchedHoldersOf(instrumentId: string): readonly string[] {
    const holders = valuations.ownersHolding(instrumentId);
    const cached = watchedHolders.get(instrumentId);
    if (cached?.holders === holders) return cached.watched;
    const watched = holders.filter((ownerId) => watchers.has(ownerId));
    watchedHolders.set(instrumentId, { holders, watched });
    return watched;
  }

  function derived(
    ownerId: string,
    seq: number,
    asOf: string | undefined,
    cause: PortfolioChangedEvent['cause'] | undefined,
    withAccounts: boolean,
  ): LoggedEvent | undefined {
    const current = valuations.totals(ownerId, withAccounts);
    if (!current) return undefined;
    // Only a snapshot (resume) has no event of its own to take the instant and cause from.
    const newest = asOf === undefined || cause === undefined ? valuations.newestPrice(ownerId) : undefined;
    const event: PortfolioChangedEvent = {
      type: 'portfolio.changed',
      ownerId,
      asOf: asOf ?? newest?.asOf ?? new Date(0).toISOString(),
      totals: current.totals,
      accounts: [...current.accounts],
      cause:
        cause ??
        (newest
          ? { kind: 'price', instrumentId: newest.instrumentId }
          : { kind: 'holding', accountId: current.accounts[0]?.accountId ?? '' }),
    };
    return { seq, subject: portfolioChangedSubject(ownerId), event, origin: log.origin };
  }

  function deliver<E extends { readonly seq: number }>(listener: (e: E) => void, event: E): void {
    try {
      listener(event);
    } catch (err) {
      logger.error({ err, seq: event.seq }, 'live listener failed');
    }
  }

  /** Hands each watched owner the event moved its derived totals. */
  function fanOut(logged: LoggedEvent): void {
    if (!watchers.size) return;
    const e = logged.event;
    const tell = (ownerId: string, cause: PortfolioChangedEvent['cause']) => {
      const watching = watchers.get(ownerId);
      if (!watching) return;
      const change: OwnerChange = { seq: logged.seq, ownerId, asOf: e.asOf, cause };
      for (const listener of watching) deliver(listener, change);
    };
    if (e.type === 'price.updated') {
      const cause = { kind: 'price', instrumentId: e.instrumentId } as const;
      for (const ownerId of watchedHoldersOf(e.instrumentId)) tell(ownerId, cause);
    } else if (e.type === 'fx.updated') {
      for (const ownerId of watchers.keys()) tell(ownerId, { kind: 'fx', base: e.base, quote: e.quote });
    } else if (e.type === 'portfolio.changed') {
      tell(e.ownerId, e.cause);
    }
  }

  /** Events waiting for one before them to be applied (another replica's ledger write being read). */
  let backlog: Promise<void> | undefined;

  function enqueue(work: () => Promise<void>): void {
    const next = (backlog ?? Promise.resolve())
      .then(work)
      .catch((err: unknown) => logger.error({ err }, 'live relay failed to apply an event'));
    backlog = next;
    void next.then(() => {
      if (backlog === next) backlog = undefined;
    });
  }

  /** Passes an applied event on, when it is news, to the log's listeners and the owners' watchers. */
  function relay(event: LoggedEvent, news: boolean): void {
    position = Math.max(position, event.seq);
    if (!news) return;
    for (const listener of listeners) deliver(listener, event);
    fanOut(event);
  }

  const hub: LiveHub = {
    subscribe(listener) {
      listeners.add(listener);
      return { position, unsubscribe: () => listeners.delete(listener) };
    },
    watch(ownerIds, listener) {
      const mine = new Set<string>();
      const add = (ownerId: string) => {
        if (mine.has(ownerId)) return;
        mine.add(ownerId);
        let set = watchers.get(ownerId);
        if (!set) {
          set = new Set<OwnerListener>();
          watchers.set(ownerId, set);
          watchedHolders.clear();
        }
        set.add(listener);
      };
      for (const id of ownerIds) add(id);
      return {
        position,
        add,
        unwatch() {
          for (const id of mine) {
            const set = watchers.get(id);
            set?.delete(listener);
            if (set?.size === 0) {
              watchers.delete(id);
              watchedHolders.clear();
            }
          }
        },
      };
    },
    derive: (change, withAccounts) =>
      derived(change.ownerId, change.seq, change.asOf, change.cause, withAccounts),
    read: (filter, fromSeq, toSeq, signal) => log.read(filter, fromSeq, toSeq, signal),
    closed: stop.signal,
  };

  return {
    hub,
    /** Follows the log from its current end. */
    async start(): Promise<void> {
      const start = await log.follow((event) => {
        // Behind an event still being applied, the next ones wait their turn: subscribers see the
        // index as each event left it, in the log's order.
        if (backlog) return enqueue(async () => relay(event, await valuations.applyEvent(event)));
        const news = valuations.applyEvent(event);
        if (typeof news === 'boolean') return relay(event, news);
        enqueue(async () => relay(event, await news));
      }, stop.signal);
      position = Math.max(position, start);
    },
    stop(): void {
      stop.abort();
      listeners.clear();
      watchers.clear();
      watchedHolders.clear();
    },
  };
}
