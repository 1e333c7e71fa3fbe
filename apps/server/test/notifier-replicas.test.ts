import type { BusEvent, NotifierDelivery } from '@tickfolio/bus';
import { BASE_VALUE_SCALE, PRICE_SCALE, pow10, type TotalsChange } from '@tickfolio/core';
import { alerts, type Db, instruments, notifications, openDatabase, users } from '@tickfolio/db';
import { createScratchDatabase, type ScratchDatabase } from '@tickfolio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Notifier } from '../src/notifier/notifier';
import type { NotifierIndex } from '../src/notifier/notifier-index';
import { handDelivery, loggedAt, startHandFedNotifier } from './support/hand-fed-notifier';
import { serverDatabase } from './support/test-databases';

/**
 * Two notifiers on one database, each fed by hand the events the shared consumer would hand it, so a
 * test decides which replica reads which event: the races between replicas' copies of the rules are
 * played in a chosen order instead of hoped for. Their rules polls never come within a test.
 */
describe('notifier replicas: a copy of a rule that another replica moved on is never decided on alone', () => {
  let scratch: ScratchDatabase;
  let handle: Awaited<ReturnType<typeof openDatabase>>;
  let db: Db;
  let ownerId: string;
  let instrumentId: string;
  /** The market both replicas' indexes show: the owner's value and the instrument's price (whole units). */
  const market = { value: 50n, open: 50n, price: 50n, asOfMs: Date.now() };
  const handlers = new Map<string, (batch: readonly NotifierDelivery[]) => Promise<void>>();
  const notifiers: Notifier[] = [];
  let seq = 0;

  const index: NotifierIndex = {
    apply: () => true,
    ownersHolding: () => [ownerId],
    totals: (owner, accountId) =>
      owner === ownerId && accountId === null
        ? ({
            id: owner,
            ownerId: owner,
            currency: 'USD',
            marketValue: market.value * pow10(BASE_VALUE_SCALE),
            costBasis: 0n,
            dayChange: (market.value - market.open) * pow10(BASE_VALUE_SCALE),
            delta: 0n,
          } satisfies TotalsChange)
        : undefined,
    holdingValues(owner, accountId, visit) {
      if (owner !== ownerId || accountId !== null) return false;
      visit(instrumentId, market.value * pow10(BASE_VALUE_SCALE), market.price * pow10(PRICE_SCALE));
      return true;
    },
    price: (id) =>
      id === instrumentId
        ? {
            price: market.price * pow10(PRICE_SCALE),
            previousClose: 50n * pow10(PRICE_SCALE),
            asOfMs: market.asOfMs,
          }
        : undefined,
  };

  async function startReplica(name: string): Promise<void> {
    notifiers.push(await startHandFedNotifier({ db, index, name, handlers, now: () => new Date() }));
  }

  function delivery(event: BusEvent): NotifierDelivery {
    return handDelivery(loggedAt(++seq, event));
  }

  /**
   * Price events, one batch, read by the named replica (each a new quote of the instrument); the index
   * ends the batch at the last one, as an index that applied them all does.
   */
  async function read(name: string, ...prices: bigint[]): Promise<void> {
    const batch = prices.map((price) => {
      market.asOfMs += 1000;
      return priceEvent(price, market.asOfMs);
    });
    market.price = prices[prices.length - 1]!;
    await handlers.get(name)!(batch);
  }

  function priceEvent(price: bigint, asOfMs: number): NotifierDelivery {
    return delivery({
      type: 'price.updated',
      instrumentId,
      price: `${price}`,
      previousClose: '50',
      currency: 'USD',
      asOf: new Date(asOfMs).toISOString(),
      source: 'test',
    });
  }

  const fired = async (ruleId: string) =>
    (await notifications.listNotifications(db, ownerId, { limit: 100 })).filter((n) => n.ruleId === ruleId)
      .length;

  beforeAll(async () => {
    scratch = await createScratchDatabase({ recipe: serverDatabase(null) });
    handle = await openDatabase({ kind: 'postgres', url: scratch.url, max: 4 });
    db = handle.db;
    ownerId = (
      await users.createUser(db, { email: 'replicas@example.test', displayName: 'R', baseCurrency: 'USD' })
    ).id;
    instrumentId = (
      await instruments.createInstrument(db, {
        symbol: 'RPLC',
        name: 'Replicas',
        assetClass: 'stock',
        currency: 'USD',
      })
    ).id;
  });

  afterAll(async () => {
    for (const n of notifiers) await n.stop();
    await handle?.close();
    await scratch?.drop();
  });

  it('fires on a replica whose copy is disarmed or armed behind the database, without waiting for a poll', async () => {
    const rule = await alerts.createAlertRule(db, {
      userId: ownerId,
      kind: 'value_above',
      threshold: '100',
      cooldownSeconds: 0,
    });
    await startReplica('a');
    await startReplica('b');

    market.value = 110n;
    await read('a', 50n);
    expect(await fired(rule.id)).toBe(1);
    // b's copy says armed: its firing is refused and it reads the rule (disarmed) again.
    await read('b', 50n);
    expect(await fired(rule.id)).toBe(1);
    // a re-arms it; b's copy still says disarmed when the value crosses again on b.
    market.value = 80n;
    await read('a', 50n);
    expect(await alerts.getAlertRule(db, rule.id)).toMatchObject({ armed: true, crossings: 1 });
    market.value = 110n;
    await read('b', 50n);
    expect(await fired(rule.id)).toBe(2);
    // b re-arms it; a's copy says armed, one crossing behind: refused, read again, fired on that.
    market.value = 80n;
    await read('b', 50n);
    market.value = 110n;
    await read('a', 50n);
    expect(await fired(rule.id)).toBe(3);
    await alerts.deleteAlertRule(db, ownerId, rule.id);
  });

  it('fires on a price that crossed and came back within one batch, not on an older price delivered again', async () => {
    const rule = await alerts.createAlertRule(db, {
      userId: ownerId,
      kind: 'price_move',
      direction: 'up',
      instrumentId,
      threshold: '10',
      cooldownSeconds: 0,
    });
    notifiers[0]!.rulesChanged();
    await read('a', 50n);
    await read('a', 52n, 54n, 51n);
    expect(await fired(rule.id)).toBe(0);
    // Up 20 % and back within one batch: the index ends it at 50, only the batch's high was past 10 %.
    await read('a', 52n, 60n, 50n);
    expect(await fired(rule.id)).toBe(1);
    const [note] = (await notifications.listNotifications(db, ownerId, { limit: 100 })).filter(
      (n) => n.ruleId === rule.id,
    );
    expect(note!.payload).toMatchObject({ metric: '20' });
    // Fired (and, back at 50, re-armed), fired again and held at 60: disarmed.
    await read('a', 60n);
    expect(await fired(rule.id)).toBe(2);
    // Down past the band and back up within one batch ending where it started: re-armed and fired.
    await read('a', 40n, 60n);
    expect(await fired(rule.id)).toBe(3);
    // A price older than the last batch's (a redelivery) is no reading of now.
    await read('a', 40n);
    await handlers.get('a')!([priceEvent(60n, market.asOfMs - 10_000)]);
    expect(await fired(rule.id)).toBe(3);
  });

  it('decides a move since the open through its quiet band: once per crossing, and on a new band when the open moves', async () => {
    const rule = await alerts.createAlertRule(db, {
      userId: ownerId,
      kind: 'portfolio_move',
      direction: 'up',
      threshold: '10',
      cooldownSeconds: 0,
    });
    notifiers[0]!.rulesChanged();
    const at = async (open: bigint, value: bigint) => {
      market.open = open;
      market.value = value;
      await read('a', 50n);
      return { fired: await fired(rule.id), armed: (await alerts.getAlertRule(db, rule.id))!.armed };
    };
    // Up 5 %, then 11 %: fired; 9.5 % (inside the re-arming band, 9 % to 10 %) holds it disarmed.
    expect(await at(1000n, 1050n)).toEqual({ fired: 0, armed: true });
    expect(await at(1000n, 1110n)).toEqual({ fired: 1, armed: false });
    expect(await at(1000n, 1095n)).toEqual({ fired: 1, armed: false });
    // Under 9 %: re-armed; 10 % exactly: fired again.
    expect(await at(1000n, 1080n)).toEqual({ fired: 1, armed: true });
    expect(await at(1000n, 1100n)).toEqual({ fired: 2, armed: false });
    // A new open (the previous closes moved): the same value is down 8.3 % from it, re-armed.
    expect(await at(1200n, 1100n)).toEqual({ fired: 2, armed: true });
    expect(await at(1200n, 1150n)).toEqual({ fired: 2, armed: true });
    // Another, the rule's state unchanged: the band read at the open of 1,200 (quiet up to 1,320) is
    // not the one for an open of 1,100, where 1,210 is up 10 %.
    expect(await at(1100n, 1210n)).toEqual({ fired: 3, armed: false });
    await alerts.deleteAlertRule(db, ownerId, rule.id);
  });
});
