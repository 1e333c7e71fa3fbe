import type { PriceQuote } from '@tickfolio/core';
import { DEMO_LOGINS } from '@tickfolio/db/demo';
import type { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AppRouter, BookChangedEvent } from '../src';
import { type BookClientTotals, createBookFrameReader } from '../src/book-frame';
import { bookChangedEventSchema } from '../src/live-events';
import { type ApiServer, openQuotePublisher, type QuotePublisher, signIn, startApiServer } from '../testing';

const WAIT = { timeout: 30_000, interval: 100 };
const TOTALS_FIELDS = [
  'currency',
  'marketValue',
  'costBasis',
  'unrealizedGain',
  'unrealizedGainPercent',
  'dayChange',
  'dayChangePercent',
];

type Client = Awaited<ReturnType<typeof signIn>>;

interface Stream {
  readonly frames: { id: string; data: BookChangedEvent }[];
  error: TRPCClientError<AppRouter> | null;
  started: boolean;
  unsubscribe(): void;
}

/** Subscribes to the advisor's book, every frame checked against the contract and kept. */
function openBook(advisor: Client, lastEventId?: string): Stream {
  const stream: Stream = {
    frames: [],
    error: null,
    started: false,
    unsubscribe: () => {},
  };
  const subscription = advisor.advisor.book.live.subscribe(lastEventId ? { lastEventId } : undefined, {
    onStarted: () => {
      stream.started = true;
    },
    onData: (event) => {
      expect(bookChangedEventSchema.safeParse(event.data).error).toBeUndefined();
      stream.frames.push(event);
    },
    onError: (error) => {
      stream.error = error;
    },
  });
  stream.unsubscribe = () => subscription.unsubscribe();
  return stream;
}

/**
 * The delta frames of advisor.book.live, on a server of this file's own (assignments change here): each
 * subscription sends a client whole first and then only what moved, and a reader laying the changes
 * over each other ends with exactly what advisor.clients answers.
 */
describe('advisor.book.live sends what moved, and the reader makes it whole', () => {
  let server: ApiServer;
  let advisor: Client;
  let admin: Client;
  let quotes: QuotePublisher;
  let held: { id: string; currency: string }[];
  /** Each quote a second after the previous one, later than any stored price. */
  let nextAt = Date.now() + 3_600_000;
  let tick = 0;

  beforeAll(async () => {
    server = await startApiServer({ settings: { LIVE_ACCESS_RECHECK_MS: '200' } });
    [advisor, admin] = await Promise.all([
      signIn(server.info.url, DEMO_LOGINS.advisor),
      signIn(server.info.url, DEMO_LOGINS.admin),
    ]);
    quotes = await openQuotePublisher(server.info);
    held = await advisor.advisor.instruments.query();
    expect(held.length).toBeGreaterThan(1);
  });
  afterAll(async () => {
    await quotes?.close();
    await server?.stop();
  });

  /** Moves the given instruments' prices `rounds` times each (every quote a new price). */
  async function burst(instruments: readonly { id: string; currency: string }[], rounds: number) {
    for (let round = 0; round < rounds; round++) {
      await Promise.all(
        instruments.map((i) => {
          tick += 1;
          nextAt += 1000;
          return quotes.publishQuote({
            instrument: { instrumentId: i.id },
            price: `${50 + (tick % 53)}.${String(tick % 100).padStart(2, '0')}`,
            currency: i.currency as PriceQuote['currency'],
            asOf: new Date(nextAt).toISOString(),
            source: 'book-frames-test',
            kind: 'trade',
          });
        }),
      );
    }
  }

  /** What advisor.clients answers for the clients the reader was told of, in the reader's shape. */
  async function expectedFor(told: ReadonlyMap<string, BookClientTotals>) {
    const clients = await advisor.advisor.clients.query();
    return new Map(
      clients
        .filter((c) => told.has(c.clientId))
        .map((c) => [c.clientId, { totals: c.totals, inView: c.inView }]),
    );
  }

  /** Reads frames into a client-id map of whole totals, as the desk and the terminal hold them. */
  function holdWhole(reader: ReturnType<typeof createBookFrameReader>, stream: Stream) {
    const whole = new Map<string, BookClientTotals>();
    let read = 0;
    return () => {
      for (; read < stream.frames.length; read++) {
        for (const c of reader.read(stream.frames[read]!.data)) whole.set(c.ownerId, c);
      }
      return whole;
    };
  }

  const asHeld = (whole: ReadonlyMap<string, BookClientTotals>) =>
    new Map([...whole].map(([id, c]) => [id, { totals: c.totals, inView: c.inView }]));

  /** Each client's first entry in the frames: it must carry every field of its totals. */
  function firstEntries(frames: Stream['frames']) {
    const first = new Map<string, BookChangedEvent['clients'][number]>();
    for (const f of frames)
      for (const c of f.data.clients) if (!first.has(c.ownerId)) first.set(c.ownerId, c);
    return first;
  }

  it('sends each client whole first, then only the figures that moved; after a burst the reader holds exactly advisor.clients', async () => {
    const stream = openBook(advisor);
    await vi.waitFor(() => expect(stream.started).toBe(true), WAIT);
    const whole = holdWhole(createBookFrameReader(), stream);
    await burst(held, 8);
    await vi.waitFor(async () => {
      expect(stream.error).toBeNull();
      const told = whole();
      expect(told.size).toBeGreaterThan(1);
      expect(asHeld(told)).toEqual(await expectedFor(told));
    }, WAIT);
    stream.unsubscribe();

    for (const [id, entry] of firstEntries(stream.frames)) {
      expect(Object.keys(entry.totals).sort(), id).toEqual([...TOTALS_FIELDS].sort());
    }
    const later = stream.frames
      .flatMap((f) => f.data.clients)
      .filter((c) => !TOTALS_FIELDS.every((k) => k in c.totals));
    // A price moves a value, never a currency or a cost basis: those are not sent again.
    expect(later.length).toBeGreaterThan(0);
    for (const c of later) {
      expect(c.totals).not.toHaveProperty('currency');
      expect(c.totals).not.toHaveProperty('costBasis');
    }
    // The demo book mixes currencies: a client in the view currency (USD) has no view of its own on
    // the wire; one in another currency has.
    const told = whole();
    const entries = stream.frames.flatMap((f) => f.data.clients);
    const usd = entries.filter((c) => told.get(c.ownerId)!.totals.currency === 'USD');
    const other = entries.filter((c) => told.get(c.ownerId)!.totals.currency !== 'USD');
    expect(usd.length).toBeGreaterThan(0);
    expect(other.length).toBeGreaterThan(0);
    expect(usd.every((c) => c.inView === undefined)).toBe(true);
    expect(other.every((c) => c.inView !== undefined && c.inView !== null)).toBe(true);
  });

  it('resumed with lastEventId, sends every client whole again, and the same reader ends exact', async () => {
    const first = openBook(advisor);
    await vi.waitFor(() => expect(first.started).toBe(true), WAIT);
    const reader = createBookFrameReader();
    const whole = holdWhole(reader, first);
    await burst(held, 3);
    await vi.waitFor(() => expect(whole().size).toBeGreaterThan(1), WAIT);
    // Away while the market moves on: the resumed stream must bring every client up to date.
    first.unsubscribe();
    await vi.waitFor(() => expect(first.frames.length).toBeGreaterThan(0), WAIT);
    const lastEventId = first.frames.at(-1)!.id;
    whole();
    await burst(held, 5);

    const resumed = openBook(advisor, lastEventId);
    const wholeAgain = holdWhole(reader, resumed);
    await vi.waitFor(async () => {
      expect(resumed.error).toBeNull();
      const told = wholeAgain();
      // Every client the first stream told of is told again. The first stream may have been left
      // before every client's first frame reached it, and the burst since moves them all, so the
      // resumed stream may tell of more: a count of equal size raced with the frames' timing.
      for (const id of whole().keys()) expect(told.has(id), id).toBe(true);
      expect(asHeld(told)).toEqual(await expectedFor(told));
    }, WAIT);
    resumed.unsubscribe();
    expect(resumed.frames.every((f) => Number(f.id) > Number(lastEventId))).toBe(true);
    for (const [id, entry] of firstEntries(resumed.frames)) {
      expect(Object.keys(entry.totals).sort(), id).toEqual([...TOTALS_FIELDS].sort());
    }
  });

  it('sends a client added to the book whole, and ends the stream when a client is removed', async () => {
    const [advisorUser] = (await admin.admin.users.list.query({ query: DEMO_LOGINS.advisor })).items;
    const assigned = new Set((await advisor.advisor.clients.query()).map((c) => c.clientId));
    const investors = (await admin.admin.users.list.query({ role: 'investor', limit: 200 })).items;
    const newcomer = investors.find((u) => !assigned.has(u.id));
    expect(advisorUser).toBeDefined();
    expect(newcomer).toBeDefined();

    const stream = openBook(advisor);
    await vi.waitFor(() => expect(stream.started).toBe(true), WAIT);
    const whole = holdWhole(createBookFrameReader(), stream);
    await burst(held, 2);
    await vi.waitFor(() => expect(whole().size).toBeGreaterThan(1), WAIT);

    await admin.admin.assignments.add.mutate({ advisorId: advisorUser!.id, clientId: newcomer!.id });
    const theirs = (await advisor.advisor.client.query({ clientId: newcomer!.id })).holdings.holdings;
    expect(theirs.length).toBeGreaterThan(0);
    const instruments = [
      ...new Map(
        theirs.map((h) => [h.instrumentId, { id: h.instrumentId, currency: h.localCurrency }]),
      ).values(),
    ];
    // The stream takes the new client in at its next access check; a price it holds then moves it.
    await vi.waitFor(async () => {
      await burst(instruments, 1);
      expect(whole().has(newcomer!.id)).toBe(true);
    }, WAIT);
    await vi.waitFor(async () => {
      const told = whole();
      expect(asHeld(told)).toEqual(await expectedFor(told));
    }, WAIT);
    const entry = firstEntries(stream.frames).get(newcomer!.id)!;
    expect(Object.keys(entry.totals).sort()).toEqual([...TOTALS_FIELDS].sort());

    await admin.admin.assignments.remove.mutate({ advisorId: advisorUser!.id, clientId: newcomer!.id });
    await vi.waitFor(() => expect(stream.error?.data?.code).toBe('NOT_FOUND'), WAIT);
  });
});
