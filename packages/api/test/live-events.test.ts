import type { PriceQuote } from '@tickfolio/core';
import { DEMO_LOGINS } from '@tickfolio/db/demo';
import { afterAll, describe, expect, inject, it, vi } from 'vitest';
import { liveEventSchemas } from '../src';
import { findPricedClientHolding, openQuotePublisher, type QuotePublisher, signIn } from '../testing';

const WAIT = { timeout: 20_000, interval: 50 };

type LivePath = keyof typeof liveEventSchemas;
interface Received {
  readonly path: LivePath;
  readonly id: string;
  readonly data: unknown;
}

/**
 * The server checks what it sends against the contract: a real client, typed with AppRouter, on a real
 * server process, parses every event the live procedures emit with the contract's schemas.
 */
describe('live events on the wire match the contract', () => {
  const server = inject('apiServer');
  let quotes: QuotePublisher | undefined;
  const subscriptions: { unsubscribe(): void }[] = [];
  afterAll(async () => {
    for (const s of subscriptions) s.unsubscribe();
    await quotes?.close();
  });

  it('every portfolio.live, advisor.book.live, prices.live and notifications.live event parses with its schema', async () => {
    const [advisor, investor] = await Promise.all([
      signIn(server.url, DEMO_LOGINS.advisor),
      signIn(server.url, DEMO_LOGINS.investor),
    ]);
    // A client of the advisor holding something priced: a quote for it moves all three streams.
    const picked = await findPricedClientHolding(advisor);
    expect(picked).toBeDefined();
    const { clientId, instrumentId } = picked!;

    const received: Received[] = [];
    const errors: unknown[] = [];
    let started = 0;
    const handlers = (path: LivePath) => ({
      onStarted: () => void started++,
      onData: (event: { id: string; data: unknown }) => void received.push({ path, ...event }),
      onError: (error: unknown) => void errors.push(error),
    });
    subscriptions.push(
      advisor.advisor.book.live.subscribe(undefined, handlers('advisor.book.live')),
      advisor.portfolio.live.subscribe({ ownerId: clientId }, handlers('portfolio.live')),
      advisor.prices.live.subscribe({ instrumentIds: [instrumentId] }, handlers('prices.live')),
      investor.portfolio.live.subscribe(undefined, handlers('portfolio.live')),
      advisor.notifications.live.subscribe(undefined, handlers('notifications.live')),
    );
    await vi.waitFor(() => expect(started).toBe(subscriptions.length), WAIT);
    // A rule the client's value is past already: it fires once the notifier reads it.
    await advisor.alerts.create.mutate({ kind: 'value_above', ownerId: clientId, threshold: '0.01' });

    // A price (through the real pipeline) and a ledger write: the kinds of change the streams carry.
    quotes = await openQuotePublisher(server);
    await quotes.publishQuote({
      instrument: { instrumentId },
      price: `${picked!.price}1`,
      currency: picked!.currency as PriceQuote['currency'],
      asOf: new Date().toISOString(),
      source: 'api-contract-test',
      kind: 'trade',
    });
    const account = await investor.accounts.create.mutate({
      name: `Contract ${Date.now()}`,
      baseCurrency: 'USD',
    });
    await investor.transactions.add.mutate({
      accountId: account.id,
      type: 'buy',
      instrumentId,
      tradeDate: '2026-01-05',
      quantity: '1',
      price: '190.5',
      currency: 'USD',
    });

    const causes = () =>
      received.flatMap((e) =>
        e.path === 'portfolio.live' ? [(e.data as { cause: { kind: string } }).cause.kind] : [],
      );
    await vi.waitFor(() => {
      expect(errors).toEqual([]);
      expect(new Set(received.map((e) => e.path))).toEqual(
        new Set(['portfolio.live', 'advisor.book.live', 'prices.live', 'notifications.live']),
      );
      expect(causes()).toEqual(expect.arrayContaining(['price', 'holding']));
    }, WAIT);

    for (const event of received) {
      expect(event.id, event.path).toMatch(/^\d+$/);
      const parsed = liveEventSchemas[event.path].safeParse(event.data);
      expect(parsed.error, `${event.path}: ${JSON.stringify(event.data)}`).toBeUndefined();
    }
  });
});
