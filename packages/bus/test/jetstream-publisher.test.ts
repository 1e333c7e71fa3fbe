import { RetentionPolicy, StorageType } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import type { FxQuote, PriceQuote } from '@tickfolio/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJetStreamPublisher } from '../src/jetstream-publisher';
import { UnresolvedQuoteError } from '../src/price-messages';
import { openTestBus, type TestBus } from '../src/testing';
import { ensureFetcherTopology } from '../src/topology';

const REFRESH_PERIOD_SECONDS = 600;

const quote: PriceQuote = {
  instrument: { instrumentId: '6f1c3c36-7a37-4d5e-9a55-1c0e0f1f2a3b' },
  price: '312.4',
  currency: 'EUR',
  asOf: '2026-11-25T16:30:00.000Z',
  source: 'yahoo',
  kind: 'trade',
};
const fx: FxQuote = { base: 'EUR', quote: 'USD', rate: '1.0845', asOf: '2026-11-25T16:00:00Z', source: 'fx' };

describe('JetStream set-up and publishing', () => {
  let bus: TestBus;
  beforeAll(async () => {
    bus = await openTestBus();
  });
  afterAll(() => bus?.close());

  it('sets the streams up idempotently: a second start changes nothing', async () => {
    await ensureFetcherTopology(bus.jsm, bus.names, {
      replicas: 1,
      refreshPeriodSeconds: REFRESH_PERIOD_SECONDS,
    });
    await ensureFetcherTopology(bus.jsm, bus.names, {
      replicas: 1,
      refreshPeriodSeconds: REFRESH_PERIOD_SECONDS,
    });
    const prices = await bus.jsm.streams.info(bus.names.prices.name);
    expect(prices.config.subjects).toEqual([`${bus.names.prefix}prices.>`]);
    expect(prices.config.storage).toBe(StorageType.File);
    expect(prices.config.duplicate_window).toBe(nanos(120_000));
    const refresh = await bus.jsm.streams.info(bus.names.refresh.name);
    expect(refresh.config.retention).toBe(RetentionPolicy.Workqueue);
    expect(refresh.config.duplicate_window).toBeGreaterThanOrEqual(nanos(600_000));
  });

  it('brings an existing stream back to its definition', async () => {
    // As a process of another version (or a hand) might have left it.
    await bus.jsm.streams.update(bus.names.prices.name, { duplicate_window: nanos(60_000) });
    expect((await bus.jsm.streams.info(bus.names.prices.name)).config.duplicate_window).toBe(nanos(60_000));
    await ensureFetcherTopology(bus.jsm, bus.names, {
      replicas: 1,
      refreshPeriodSeconds: REFRESH_PERIOD_SECONDS,
    });
    expect((await bus.jsm.streams.info(bus.names.prices.name)).config.duplicate_window).toBe(nanos(120_000));
  });

  it('stores a re-published quote once', async () => {
    const publisher = createJetStreamPublisher(bus.js, bus.names);
    const before = await bus.messageCount(bus.names.prices.name);
    const first = await publisher.publishQuote(quote);
    const second = await publisher.publishQuote({ ...quote });
    expect(first.duplicate).toBe(false);
    expect(second).toEqual({ seq: first.seq, duplicate: true });
    expect(await bus.messageCount(bus.names.prices.name)).toBe(before + 1);

    const stored = await bus.jsm.streams.getMessage(bus.names.prices.name, { seq: first.seq });
    expect(stored?.subject).toBe(`${bus.names.prefix}prices.instrument.${quote.instrument.instrumentId}`);
    expect(stored?.json()).toEqual(quote);
  });

  it('stores a re-published FX rate once, on the pair subject', async () => {
    const publisher = createJetStreamPublisher(bus.js, bus.names);
    const first = await publisher.publishFx(fx);
    const second = await publisher.publishFx(fx);
    expect(second).toEqual({ seq: first.seq, duplicate: true });
    const stored = await bus.jsm.streams.getMessage(bus.names.prices.name, { seq: first.seq });
    expect(stored?.subject).toBe(`${bus.names.prefix}prices.fx.EUR.USD`);
  });

  it('refuses to publish an invalid or unresolved quote', async () => {
    const publisher = createJetStreamPublisher(bus.js, bus.names);
    const before = await bus.messageCount(bus.names.prices.name);
    await expect(publisher.publishQuote({ ...quote, instrument: { symbol: 'AAPL' } })).rejects.toThrow(
      UnresolvedQuoteError,
    );
    await expect(publisher.publishQuote({ ...quote, price: '0' })).rejects.toThrow();
    expect(await bus.messageCount(bus.names.prices.name)).toBe(before);
  });
});
