import { type LoggedEvent, type PortfolioChangedEvent, priceUpdatedSubject } from '@tickfolio/bus';
import { advisorClients, type Db, users } from '@tickfolio/db';
import type { Principal } from '../auth/principal';
import type { AccessPolicy } from '../services/access-policy';
import { NotFoundError } from '../services/not-found';
import { ownerOf } from '../services/owner-of';
import type { BookChangedEvent, PricesChangedEvent } from './live-events';
import type { LiveHub } from './live-hub';
import { liveStream } from './live-stream';
import { ownerStream } from './owner-stream';
import type { Sequenced } from './tracked-events';

export interface LiveServiceDeps {
  readonly db: Db;
  readonly access: AccessPolicy;
  readonly hub: LiveHub;
  /** Most distinct portfolios or instruments one subscriber may have waiting. */
  readonly queueLimit: number;
  /** How often a subscriber's access is checked again. */
  readonly recheckMs: number;
  /** Least time between two events of one portfolio.live stream. */
  readonly portfolioFrameMs: number;
  /** Least time between two frames of one advisor's book. */
  readonly bookFrameMs: number;
  /** Least time between two frames of one prices.live stream. */
  readonly pricesFrameMs: number;
}

/** Frames as one event each (undefined: nothing to send), tracked with the newest sequence in them. */
async function* framesAs<E>(
  frames: AsyncIterable<LoggedEvent[]>,
  eventOf: (frame: LoggedEvent[]) => E | undefined,
): AsyncGenerator<Sequenced<E>> {
  for await (const frame of frames) {
    const event = eventOf(frame);
    if (event !== undefined) yield { seq: Math.max(...frame.map((e) => e.seq)), event };
  }
}

/** A portfolio's frame: its one owner's totals. */
function portfolioChanged(frame: LoggedEvent[]): PortfolioChangedEvent | undefined {
  const event = frame[0]?.event;
  return event?.type === 'portfolio.changed' ? event : undefined;
}

/** A book's frame: the clients whose totals moved. */
function bookChanged(frame: LoggedEvent[]): BookChangedEvent | undefined {
  const clients: BookChangedEvent['clients'] = [];
  for (const { event } of frame) {
    if (event.type !== 'portfolio.changed') continue;
    clients.push({ ownerId: event.ownerId, asOf: event.asOf, totals: event.totals, cause: event.cause });
  }
  return clients.length ? { type: 'book.changed', clients } : undefined;
}

/** A prices frame: the instruments' newest prices. */
function pricesChanged(frame: LoggedEvent[]): PricesChangedEvent | undefined {
  const prices: PricesChangedEvent['prices'] = [];
  for (const { event } of frame) {
    if (event.type !== 'price.updated') continue;
    const { type: _, ...price } = event;
    prices.push(price);
  }
  return prices.length ? { type: 'prices.changed', prices } : undefined;
}

type Person = Extract<Principal, { kind: 'user' }>;

/**
 * Live subscriptions: one portfolio, an advisor's whole book, or prices. Access is checked at the start
 * and again every recheckMs; when it is gone the stream ends with NOT_FOUND, like a missing resource.
 */
export function createLiveService(deps: LiveServiceDeps) {
  const { db, access, hub } = deps;
  const common = (signal: AbortSignal, lastEventId: number | null) => ({
    hub,
    signal,
    lastEventId,
    queueLimit: deps.queueLimit,
    recheckMs: deps.recheckMs,
  });

  async function assertHasBook(principal: Person): Promise<void> {
    const user = await users.findUserById(db, principal.userId);
    if (!user || user.disabledAt !== null || (user.role !== 'advisor' && user.role !== 'admin')) {
      throw new NotFoundError('clients');
    }
  }

  return {
    /** The owner's totals as portfolio-changed events (the caller's own portfolio unless ownerId names another). */
    async portfolio(
      principal: Principal,
      ownerId: string | undefined,
      lastEventId: number | null,
      signal: AbortSignal,
    ) {
      const owner = ownerOf(principal, ownerId);
      await access.assertRead(principal, owner, 'portfolio');
      return framesAs(
        ownerStream({
          ...common(signal, lastEventId),
          owners: new Set([owner]),
          frameMs: deps.portfolioFrameMs,
          withAccounts: true,
          recheck: () => access.assertRead(principal, owner, 'portfolio'),
        }),
        portfolioChanged,
      );
    },

    /**
     * Every assigned client's totals, in frames (a book of a thousand clients moves with nearly every
     * tick); losing a client's assignment ends the stream.
     */
    async book(principal: Person, lastEventId: number | null, signal: AbortSignal) {
      await assertHasBook(principal);
      const clients = new Set(
        (await advisorClients.listClientsOfAdvisor(db, principal.userId)).map((c) => c.id),
      );
      return framesAs(
        ownerStream({
          ...common(signal, lastEventId),
          owners: clients,
          frameMs: deps.bookFrameMs,
          withAccounts: false,
          async recheck(addOwner) {
            await assertHasBook(principal);
            const now = new Set(
              (await advisorClients.listClientsOfAdvisor(db, principal.userId)).map((c) => c.id),
            );
            for (const id of clients) if (!now.has(id)) throw new NotFoundError('client');
            for (const id of now) {
              clients.add(id);
              addOwner(id);
            }
          },
        }),
        bookChanged,
      );
    },

    /**
     * The given instruments' prices in frames of the newest per instrument (prices are not private: any
     * signed-in principal).
     */
    async prices(instrumentIds: readonly string[], lastEventId: number | null, signal: AbortSignal) {
      const wanted = new Set(instrumentIds);
      const only = wanted.size === 1 ? [...wanted][0]! : '*';
      return framesAs(
        liveStream({
          ...common(signal, lastEventId),
          filter: priceUpdatedSubject(only),
          accepts: (e: LoggedEvent) => e.event.type === 'price.updated' && wanted.has(e.event.instrumentId),
          keyOf: (e) => (e.event.type === 'price.updated' ? e.event.instrumentId : e.subject),
          recheck: async () => {},
          frameMs: deps.pricesFrameMs,
        }),
        pricesChanged,
      );
    },
  };
}
