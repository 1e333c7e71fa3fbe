import type { BusEvent, LoggedEvent, NotifierDelivery } from '@tickfolio/bus';
import { BASE_VALUE_SCALE, PRICE_SCALE, pow10, type TotalsChange } from '@tickfolio/core';
import { alerts, type Db, instruments, notifications, openDatabase, users } from '@tickfolio/db';
import { createScratchDatabase, type ScratchDatabase } from '@tickfolio/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Notifier } from '../src/notifier/notifier';
import type { NotifierIndex } from '../src/notifier/notifier-index';
import { handDelivery, loggedAt, startHandFedNotifier } from './support/hand-fed-notifier';
import { serverDatabase } from './support/test-databases';

/**
 * A notifier on an index that says what moved it (as a replica's relay does): an owner whose rules
 * are far inside their quiet bands is not read at every batch, and every move that could take it out
 * — a price drifting far enough, whoever's consumer got its event, a ledger write, a rate, the clock —
 * has it read again. The owner holds `market.quantity` of one instrument and nothing else, so its value
 * is quantity × price (whole units), as an index would have it.
 */
describe('notifier: owners whose rules are quiet are read again only when something could wake them', () => {
  let scratch: ScratchDatabase;
  let handle: Awaited<ReturnType<typeof openDatabase>>;
  let db: Db;
  let ownerId: string;
  let instrumentId: string;
  let otherId: string;
  /** An instrument the owner holds one unit of, unpriced until a test prices it (`market.late`). */
  let lateId: string;
  const market = {
    quantity: 2n,
    price: 40n,
    other: 10n,
    late: null as bigint | null,
    asOfMs: Date.now(),
    liabilities: [] as string[],
  };
  let clockMs = Date.now();
  let reads = 0;
  let seq = 0;
  const listeners = new Set<(logged: LoggedEvent) => void>();
  /** Each notifier's share of the consumer: the batches a test hands it. */
  const handlers = new Map<string, (batch: readonly NotifierDelivery[]) => Promise<void>>();
  const notifiers: Notifier[] = [];

  const index: NotifierIndex = {
    apply: () => true,
    ownersHolding: (id) =>
      id === instrumentId || id === lateId || market.liabilities.includes(id) ? [ownerId] : [],
    totals(owner, accountId) {
      if (owner !== ownerId || accountId !== null) return undefined;
      reads++;
      const value = (market.quantity * market.price + (market.late ?? 0n)) * pow10(BASE_VALUE_SCALE);
      return {
        id: owner,
        ownerId: owner,
        currency: 'USD',
        marketValue: value,
        costBasis: 0n,
        dayChange: 0n,
        delta: 0n,
      } satisfies TotalsChange;
    },
    price: (id) =>
      id === instrumentId
        ? {
            price: market.price * pow10(PRICE_SCALE),
            previousClose: 40n * pow10(PRICE_SCALE),
            asOfMs: market.asOfMs,
          }
        : id === otherId
          ? {
              price: market.other * pow10(PRICE_SCALE),
              previousClose: 10n * pow10(PRICE_SCALE),
              asOfMs: market.asOfMs,
            }
          : id === lateId && market.late !== null
            ? { price: market.late * pow10(PRICE_SCALE), previousClose: null, asOfMs: market.asOfMs }
            : undefined,
    holdingValues(owner, accountId, visit) {
      if (owner !== ownerId || accountId !== null) return false;
      const unit = pow10(PRICE_SCALE);
      visit(instrumentId, market.quantity * market.price * pow10(BASE_VALUE_SCALE), market.price * unit);
      visit(
        lateId,
        (market.late ?? 0n) * pow10(BASE_VALUE_SCALE),
        market.late === null ? null : market.late * unit,
      );
      return true;
    },
    follow(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };

  function logged(event: BusEvent): LoggedEvent {
    return loggedAt(++seq, event);
  }

  function priceOf(id: string, price: bigint): BusEvent {
    market.asOfMs += 1000;
    return {
      type: 'price.updated',
      instrumentId: id,
      price: `${price}`,
      previousClose: id === instrumentId ? '40' : id === lateId ? null : '10',
      currency: 'USD',
      asOf: new Date(market.asOfMs).toISOString(),
      source: 'test',
    };
  }

  const holdingChanged = (): BusEvent =>
    ({
      type: 'portfolio.changed',
      ownerId,
      asOf: new Date().toISOString(),
      totals: {},
      accounts: [],
      cause: { kind: 'holding', accountId: 'a' },
    }) as unknown as BusEvent;

  /** The named notifier's consumer hands it a batch of these events, 150 ms after the last. */
  async function batchTo(name: string, ...events: BusEvent[]): Promise<void> {
    clockMs += 150;
    await handlers.get(name)!(events.map((event) => handDelivery(logged(event))));
  }

  /** The first notifier's consumer hands it a batch of these events. */
  const batch = (...events: BusEvent[]) => batchTo('a', ...events);

  /** The relay applied an event this notifier's consumer did not hand it (another replica's share). */
  function relayed(event: BusEvent): void {
    const l = logged(event);
    for (const listener of listeners) listener(l);
  }

  /** The instrument at `price`, as this notifier's batch; whether the owner's totals were read. */
  async function tick(price: bigint): Promise<boolean> {
    market.price = price;
    const before = reads;
    await batch(priceOf(instrumentId, price));
    return reads > before;
  }

  /** A batch of a price of another instrument, which the owner does not hold. */
  async function elsewhere(name = 'a'): Promise<boolean> {
    const before = reads;
    await batchTo(name, priceOf(otherId, 10n));
    return reads > before;
  }

  /**
   * Batches of other instruments' prices a second apart, nothing moving the owner, until one reads its
   * totals: how many seconds that took (at most `limit`, 120).
   */
  async function secondsUntilRead(limit = 120): Promise<number> {
    for (let seconds = 1; seconds <= limit; seconds++) {
      clockMs += 850;
      if (await elsewhere()) return seconds;
    }
    return Number.POSITIVE_INFINITY;
  }

  /** Batches a second apart for `seconds`, nothing moving the owner: how many of them read its totals. */
  async function readsOver(seconds: number): Promise<number> {
    let read = 0;
    for (let i = 0; i < seconds; i++) {
      clockMs += 850;
      if (await elsewhere()) read++;
    }
    return read;
  }

  const fired = async (ruleId: string) =>
    (await notifications.listNotifications(db, ownerId, { limit: 100 })).filter((n) => n.ruleId === ruleId)
      .length;

  /** The owner's rule on its value: fires at 100 (a price of 50), re-arms under 99, no cooldown. */
  const valueAbove100 = () =>
    alerts.createAlertRule(db, {
      userId: ownerId,
      kind: 'value_above',
      threshold: '100',
      cooldownSeconds: 0,
    });

  async function start(name = 'a'): Promise<void> {
    notifiers.push(await startHandFedNotifier({ db, index, name, handlers, now: () => new Date(clockMs) }));
  }

  beforeAll(async () => {
    scratch = await createScratchDatabase({ recipe: serverDatabase(null) });
    handle = await openDatabase({ kind: 'postgres', url: scratch.url, max: 4 });
    db = handle.db;
    ownerId = (
      await users.createUser(db, { email: 'quiet@example.test', displayName: 'Q', baseCurrency: 'USD' })
    ).id;
    const instrument = (symbol: string) =>
      instruments.createInstrument(db, { symbol, name: symbol, assetClass: 'stock', currency: 'USD' });
    instrumentId = (await instrument('QUIET')).id;
    otherId = (await instrument('ELSE')).id;
    lateId = (await instrument('LATE')).id;
  });

  afterEach(async () => {
    for (const n of notifiers.splice(0)) await n.stop();
    handlers.clear();
    for (const rule of await alerts.listAlertRules(db, { activeOnly: false })) {
      await alerts.deleteAlertRule(db, rule.userId, rule.id);
    }
    market.quantity = 2n;
    market.price = 40n;
    market.other = 10n;
    market.late = null;
    market.liabilities = [];
  });

  afterAll(async () => {
    await handle?.close();
    await scratch?.drop();
  });

  it('reads a quiet owner again once prices drifted far enough, whichever replica got the prices', async () => {
    // Fires at a value of 100 (a price of 50), re-arms under 99.
    const rule = await valueAbove100();
    await start();
    // Read at the start; at 80 the band leaves room for a move of a fifth: small moves of the owner's
    // price, and prices of other instruments, need no read.
    expect(await tick(40n)).toBe(false);
    expect(await tick(41n)).toBe(false);
    expect(await tick(39n)).toBe(false);
    expect(await elsewhere()).toBe(false);
    // A price the owner does not hold moving by 40 % is no reason either.
    market.other = 14n;
    expect(await elsewhere()).toBe(false);
    // Up a fifth and more since the owner was read (a value of 104): read, fired.
    expect(await tick(52n)).toBe(true);
    expect(await fired(rule.id)).toBe(1);
    // Disarmed past the threshold: read at every batch until it is back past the re-arming band.
    expect(await tick(52n)).toBe(true);
    expect(await tick(40n)).toBe(true);
    expect(await alerts.getAlertRule(db, rule.id)).toMatchObject({ armed: true });
    expect(await tick(40n)).toBe(true);
    // Read in its new state, again until a reading is taken at 40 (within a second: the one its room
    // is counted from until then may have seen the price at 52, a move that leaves no room), then left
    // alone.
    await readsOver(2);
    expect(await elsewhere()).toBe(false);
    // The price crosses on another replica's share of the events (this one's relay applies it): the
    // next batch this consumer hands over, whatever it holds, reads the owner.
    market.price = 55n;
    relayed(priceOf(instrumentId, 55n));
    expect(await elsewhere()).toBe(true);
    expect(await fired(rule.id)).toBe(2);
  });

  it('reads an owner at the start and not again at the first batch unless prices moved it far enough since, or an instrument it holds is priced for the first time', async () => {
    const rule = await valueAbove100();
    const before = reads;
    await start();
    // Read once at the start, against the index's prices then.
    expect(reads - before).toBe(1);
    // The first batch after the start carries a price of the owner's instrument, 2.5 % from the one
    // the start read (a fifth of room): no read. Until 2026-12-07 the first price the notifier saw of
    // an instrument read every holder again, so every owner was read twice at a start.
    expect(await tick(41n)).toBe(false);
    expect(await tick(40n)).toBe(false);
    // An instrument it holds that had no price when it was read: its first price reads the owner.
    market.late = 4n;
    expect(await batch(priceOf(lateId, 4n)).then(() => reads > before + 1)).toBe(true);
    const afterLate = reads;
    // From then on its price moves are ordinary moves, weighted by its share: up a quarter, but at
    // 4 of a value of 84 that moves the totals by 1.2 %, far inside their room (16 of 84).
    market.late = 5n;
    expect(await batch(priceOf(lateId, 5n)).then(() => reads > afterLate)).toBe(false);
    // A price past the owner's room since the start: read, fired.
    expect(await tick(52n)).toBe(true);
    expect(await fired(rule.id)).toBe(1);
  });

  it('reads an owner again after a ledger write, a rate, or a while, and every time when it holds a liability', async () => {
    const rule = await valueAbove100();
    await start();
    expect(await tick(40n)).toBe(false);
    expect(await elsewhere()).toBe(false);
    // Three units now at 40: a value of 120, no price moved.
    market.quantity = 3n;
    relayed(holdingChanged());
    expect(await elsewhere()).toBe(true);
    expect(await fired(rule.id)).toBe(1);
    market.quantity = 2n;
    await batch(holdingChanged());
    expect(await alerts.getAlertRule(db, rule.id)).toMatchObject({ armed: true });
    // Re-armed: read once more in its new state, then left alone.
    expect(await elsewhere()).toBe(true);
    expect(await elsewhere()).toBe(false);
    // A rate moves every owner's totals.
    relayed({
      type: 'fx.updated',
      base: 'EUR',
      quote: 'USD',
      rate: '1.1',
      asOf: new Date().toISOString(),
      source: 'test',
    } as BusEvent);
    expect(await elsewhere()).toBe(true);
    expect(await elsewhere()).toBe(false);
    // Nothing moved: read again on its grid within a minute (the readings its room is counted on last
    // that long), then a period (59.5 s) later.
    expect(await secondsUntilRead()).toBeLessThanOrEqual(60);
    expect(await secondsUntilRead()).toBeGreaterThanOrEqual(59);
    expect(await elsewhere()).toBe(false);
    // A loan among the owner's holdings: its totals are no longer their gross value, read every time.
    const loan = await instruments.createInstrument(db, {
      symbol: 'LOAN',
      name: 'Loan',
      assetClass: 'other',
      currency: 'USD',
      priceSource: 'manual',
      liability: true,
    });
    market.liabilities = [loan.id];
    relayed(holdingChanged());
    expect(await elsewhere()).toBe(true);
    expect(await elsewhere()).toBe(true);
    expect(await fired(rule.id)).toBe(1);
  });

  it("reads an owner with a move within a window as often as the window's samples need: a twentieth of it, 5 s to a minute", async () => {
    // Three rules: a value, a 1 % move within ten minutes (samples 30 s apart) and, later, within a minute.
    const notified = async () => (await notifications.listNotifications(db, ownerId, { limit: 100 })).length;
    const before = await notified();
    await valueAbove100();
    const windowRule = (windowSeconds: number) =>
      alerts.createAlertRule(db, {
        userId: ownerId,
        kind: 'portfolio_move',
        threshold: '1',
        windowSeconds,
        cooldownSeconds: 0,
      });
    await windowRule(600);
    await start();
    expect(await tick(40n)).toBe(false);
    // Quiet: read on its grid within 30 s, then not again for a period (29.5 s).
    expect(await secondsUntilRead()).toBeLessThanOrEqual(30);
    const period = await secondsUntilRead();
    expect(period).toBeGreaterThanOrEqual(29);
    expect(period).toBeLessThanOrEqual(30);
    // A window of a minute asks for a sample at least every 5 s.
    await windowRule(60);
    for (const n of notifiers.splice(0)) await n.stop();
    await start();
    expect(await tick(40n)).toBe(false);
    expect(await secondsUntilRead()).toBeLessThanOrEqual(5);
    expect(await secondsUntilRead()).toBeGreaterThanOrEqual(4);
    // Nothing fired while the value stayed at 80; a move of 2.5 % fires both windows' rules at once.
    expect(await notified()).toBe(before);
    expect(await tick(41n)).toBe(true);
    expect(await notified()).toBe(before + 2);
  });

  it("reads an owner when its window's start moves on to a value that matters, and not at every move of the start", async () => {
    // One unit at 1,000: a 1 % move within a minute (samples at least every 5 s).
    market.quantity = 1n;
    market.price = 1000n;
    const rule = await alerts.createAlertRule(db, {
      userId: ownerId,
      kind: 'portfolio_move',
      threshold: '1',
      windowSeconds: 60,
      cooldownSeconds: 0,
    });
    await start();
    expect(await tick(1000n)).toBe(false);
    // Two minutes without a move: once the window is full its start moves on at every sample, but
    // to a value the owner is as quiet against as before, so it is read on its grid only (every 4.5 s).
    await readsOver(70);
    expect(await readsOver(54)).toBeLessThanOrEqual(13);
    // Down 0.5 %, then up 1 % from there, a few seconds apart: within its room while the window starts
    // at 1,000 (0.5 % either way), so nothing fires yet.
    await tick(995n);
    await readsOver(10);
    await tick(1005n);
    await readsOver(20);
    expect(await fired(rule.id)).toBe(0);
    // Once the window's start is a value read at 995, the value now is 1.005 % above it: read and fired
    // when that start takes over, with no price moving.
    await readsOver(45);
    expect(await fired(rule.id)).toBe(1);
  });

  it('leaves an owner whose fired rule is in its cooldown alone, and reads it when the cooldown ends', async () => {
    // Fires at a value of 100 (a price of 50), re-arms under 99, a cooldown of a minute.
    const rule = await alerts.createAlertRule(db, {
      userId: ownerId,
      kind: 'value_above',
      threshold: '100',
      cooldownSeconds: 60,
    });
    await start();
    expect(await tick(40n)).toBe(false);
    expect(await tick(52n)).toBe(true);
    expect(await fired(rule.id)).toBe(1);
    // Disarmed past the threshold in its cooldown: nothing it reads can fire, re-arm or doubt it. Read
    // in its new state (again a second later: the reading it is counted from saw the price before the
    // crossing), then left alone but on its grid (at most once a minute) unless the price moves back
    // towards the re-arming band.
    await readsOver(2);
    expect(await readsOver(45)).toBeLessThanOrEqual(1);
    // When the cooldown ends, a disarmed copy past the threshold is doubtful again: read at every batch.
    await readsOver(15);
    expect(await readsOver(3)).toBe(3);
    expect(await fired(rule.id)).toBe(1);
  });

  it('re-arms a rule fired on this replica when its value dips back on another whose copy still says armed', async () => {
    // Two replicas, no rules poll within the test: b's copy of the rule is the one it read at its start.
    const rule = await valueAbove100();
    await start('a');
    await start('b');
    expect(await tick(40n)).toBe(false);
    await elsewhere('b');
    // Fired on a (a value of 110); b's copy still says armed.
    market.price = 55n;
    const up = priceOf(instrumentId, 55n);
    relayed(up);
    await batchTo('a', up);
    expect(await fired(rule.id)).toBe(1);
    // The dip back to 80 is b's share of the events (a's relay applies it too): b's copy, armed, reads
    // it as nothing to do.
    market.price = 40n;
    const dip = priceOf(instrumentId, 40n);
    relayed(dip);
    await batchTo('b', dip);
    expect(await alerts.getAlertRule(db, rule.id)).toMatchObject({ armed: false });
    // a's next batch holds nothing of the owner's, yet a reads the owner (the dip moved its index) and
    // re-arms the rule; so the next crossing fires, wherever it is read.
    expect(await elsewhere('a')).toBe(true);
    expect(await alerts.getAlertRule(db, rule.id)).toMatchObject({ armed: true });
    market.price = 55n;
    await batchTo('b', priceOf(instrumentId, 55n));
    expect(await fired(rule.id)).toBe(2);
  });
});
