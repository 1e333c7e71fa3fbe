import { type LoggedEvent, type PortfolioChangedEvent, priceUpdatedSubject } from '@tickfolio/bus';
import type { CurrencyCode, FxTable } from '@tickfolio/core';
import { advisorClients, type Db } from '@tickfolio/db';
import type { Principal } from '../auth/principal';
import type { Session } from '../auth/session';
import type { StreamRequest } from '../routers/live-input';
import type { AccessPolicy } from '../services/access-policy';
import { assertMayReadInstruments } from '../services/instruments-scope';
import { NotFoundError } from '../services/not-found';
import { ownerOf } from '../services/owner-of';
import { type FxRates, totalsInView, viewCurrencyOf } from '../services/view-currency';
import { type BookChanges, createBookChanges } from './book-changes';
import type { BookChangedEvent, PricesChangedEvent } from './live-events';
import type { LiveHub } from './live-hub';
import { liveStream } from './live-stream';
import { ownerStream } from './owner-stream';
import type { SessionWatch } from './session-watch';
import type { Sequenced } from './tracked-events';

export interface LiveServiceDeps {
  readonly db: Db;
  readonly access: AccessPolicy;
  readonly hub: LiveHub;
  /** The rates an advisor's book is converted at into its view currency, read when each frame is made. */
  readonly rates: FxRates;
  /** Ends a stream when its subscriber's session does (token expired, user disabled, password changed). */
  readonly sessions: SessionWatch;
  /** Most distinct portfolios or instruments one subscriber may have waiting. */
  readonly queueLimit: number;
  /** How often a subscriber's access to what it watches (an advisor's assignments) is checked again. */
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

/**
 * A book's frame: the clients whose totals moved, each also in the view currency at the rates of the
 * moment (`fx` is read once per frame: a rate that moved since was announced, so it comes in a frame of
 * its own), as changes against what this stream sent before (`sent`).
 */
function bookChanged(
  frame: LoggedEvent[],
  viewCurrency: CurrencyCode,
  fx: () => FxTable,
  sent: BookChanges,
): BookChangedEvent | undefined {
  const clients: BookChangedEvent['clients'] = [];
  let rates: FxTable | undefined;
  for (const { event } of frame) {
    if (event.type !== 'portfolio.changed') continue;
    rates ??= fx();
    const { ownerId, asOf, totals, cause } = event;
    const change = sent.change(ownerId, asOf, totals, totalsInView(totals, viewCurrency, rates));
    if (change) clients.push({ ownerId, asOf, cause, ...change });
  }
  return clients.length ? { type: 'book.changed', viewCurrency, clients } : undefined;
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

/**
 * A stream that runs only while the session that opened it stands: the session is watched from the
 * first event to the last, and its end (expiry or revocation) fails the stream with a typed error the
 * client sees.
 */
export async function* whileSessionStands<E>(
  sessions: SessionWatch,
  session: Session,
  open: (sessionEnded: AbortSignal) => AsyncIterable<Sequenced<E>>,
): AsyncGenerator<Sequenced<E>> {
  const watched = sessions.watch(session);
  try {
    yield* open(watched.ended);
  } finally {
    watched.release();
  }
}

/**
 * Live subscriptions: one portfolio, an advisor's whole book, or prices. Each runs while the caller's
 * session stands (the session watch ends it with UNAUTHORIZED: TOKEN_EXPIRED, SESSION_REVOKED,
 * ACCOUNT_DISABLED, INVALID_CLIENT). Access to what it watches is checked at the start and again every
 * recheckMs; when it is gone the stream ends with NOT_FOUND, like a missing resource.
 */
export function createLiveService(deps: LiveServiceDeps) {
  const { db, access, hub, sessions } = deps;
  const common = (signal: AbortSignal, sessionEnded: AbortSignal, request: StreamRequest) => ({
    hub,
    signal,
    sessionEnded,
    lastEventId: request.lastEventId,
    queueLimit: deps.queueLimit,
    recheckMs: deps.recheckMs,
  });
  /** The server's pacing, or the subscriber's when it asked for frames further apart. */
  const paced = (serverMs: number, request: StreamRequest) => Math.max(serverMs, request.frameMs ?? 0);

  /** Advisors and admins have a book. Their role is the session's: a role change revokes the session. */
  function assertHasBook(principal: Principal): asserts principal is Extract<Principal, { kind: 'user' }> {
    if (principal.kind !== 'user' || (principal.role !== 'advisor' && principal.role !== 'admin')) {
      throw new NotFoundError('clients');
    }
  }

  const clientsOf = async (advisorId: string) =>
    new Set((await advisorClients.listBookOfAdvisor(db, advisorId)).map((c) => c.id));

  return {
    /** The owner's totals as portfolio-changed events (the caller's own portfolio unless ownerId names another). */
    async portfolio(
      session: Session,
      ownerId: string | undefined,
      request: StreamRequest,
      signal: AbortSignal,
    ) {
      const { principal } = session;
      const owner = ownerOf(principal, ownerId);
      await access.assertRead(principal, owner, 'portfolio');
      return whileSessionStands(sessions, session, (sessionEnded) =>
        framesAs(
          ownerStream({
            ...common(signal, sessionEnded, request),
            owners: new Set([owner]),
            frameMs: paced(deps.portfolioFrameMs, request),
            withAccounts: true,
            recheck: () => access.assertRead(principal, owner, 'portfolio'),
          }),
          portfolioChanged,
        ),
      );
    },

    /**
     * Every assigned client's totals, in frames (a book of a thousand clients moves with nearly every
     * tick), each also in the view currency (the one asked for, else the advisor's base currency);
     * losing a client's assignment ends the stream.
     */
    async book(
      session: Session,
      viewCurrency: CurrencyCode | undefined,
      request: StreamRequest,
      signal: AbortSignal,
    ) {
      const { principal } = session;
      assertHasBook(principal);
      const [clients, view] = await Promise.all([
        clientsOf(principal.userId),
        viewCurrencyOf(db, principal.userId, viewCurrency),
      ]);
      const fx = () => deps.rates.fx();
      // Each subscription sends every client whole first, then only what moved (a resumed one too).
      const sent = createBookChanges();
      return whileSessionStands(sessions, session, (sessionEnded) =>
        framesAs(
          ownerStream({
            ...common(signal, sessionEnded, request),
            owners: clients,
            frameMs: paced(deps.bookFrameMs, request),
            withAccounts: false,
            async recheck(addOwner) {
              const now = await clientsOf(principal.userId);
              for (const id of clients) if (!now.has(id)) throw new NotFoundError('client');
              for (const id of now) {
                clients.add(id);
                addOwner(id);
              }
            },
          }),
          (frame) => bookChanged(frame, view, fx, sent),
        ),
      );
    },

    /**
     * The given instruments' prices in frames of the newest per instrument (prices are not private: any
     * signed-in person; a service needs the instruments:read scope, as for instruments.quote).
     */
    async prices(
      session: Session,
      instrumentIds: readonly string[],
      request: StreamRequest,
      signal: AbortSignal,
    ) {
      assertMayReadInstruments(session.principal);
      const wanted = new Set(instrumentIds);
      const only = wanted.size === 1 ? [...wanted][0]! : '*';
      return whileSessionStands(sessions, session, (sessionEnded) =>
        framesAs(
          liveStream({
            ...common(signal, sessionEnded, request),
            filter: priceUpdatedSubject(only),
            accepts: (e: LoggedEvent) => e.event.type === 'price.updated' && wanted.has(e.event.instrumentId),
            keyOf: (e) => (e.event.type === 'price.updated' ? e.event.instrumentId : e.subject),
            recheck: async () => {},
            frameMs: paced(deps.pricesFrameMs, request),
          }),
          pricesChanged,
        ),
      );
    },
  };
}
