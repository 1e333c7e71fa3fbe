import type { BusEvent, NotifierDelivery } from '@tickfolio/bus';
import { openDatabase } from '@tickfolio/db';
import { createScratchDatabase, type ScratchDatabase } from '@tickfolio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Notifier } from '../src/notifier/notifier';
import type { NotifierIndex } from '../src/notifier/notifier-index';
import { type BatchHandler, handDelivery, loggedAt, startHandFedNotifier } from './support/hand-fed-notifier';
import { serverDatabase } from './support/test-databases';

/** An index that holds nothing: these tests are about when batches are evaluated, not what they find. */
const emptyIndex: NotifierIndex = {
  apply: () => true,
  ownersHolding: () => [],
  totals: () => undefined,
  holdingValues: () => false,
  price: () => undefined,
};

const MAX_BATCH = 4;
let seq = 0;

/** `size` price events as the consumer hands them. */
function batchOf(size: number): NotifierDelivery[] {
  return Array.from({ length: size }, () => {
    const event: BusEvent = {
      type: 'price.updated',
      instrumentId: 'unheld',
      price: '10',
      previousClose: null,
      currency: 'USD',
      asOf: new Date(Date.UTC(2026, 11, 1) + ++seq * 1000).toISOString(),
      source: 'test',
    };
    return handDelivery(loggedAt(seq, event));
  });
}

/**
 * NOTIFIER_BATCH_INTERVAL_MS spaces the notifier's batches while it keeps up. A full batch means more
 * had gathered than a batch takes: waiting would only let the backlog grow, so it is evaluated at once.
 * (With a 1 s interval at 1,000 events a second, a notifier that always waited fell behind for good.)
 */
describe('notifier: batches spaced by the interval while it keeps up, full ones at once', () => {
  let scratch: ScratchDatabase;
  let handle: Awaited<ReturnType<typeof openDatabase>>;
  const handlers = new Map<string, BatchHandler>();
  const notifiers: Notifier[] = [];

  async function notifierWith(name: string, batchIntervalMs: number): Promise<BatchHandler> {
    notifiers.push(
      await startHandFedNotifier({
        db: handle.db,
        index: emptyIndex,
        name,
        handlers,
        now: () => new Date(),
        batchIntervalMs,
        maxBatch: MAX_BATCH,
      }),
    );
    return handlers.get(name)!;
  }

  beforeAll(async () => {
    scratch = await createScratchDatabase({ recipe: serverDatabase(null) });
    handle = await openDatabase({ kind: 'postgres', url: scratch.url, max: 2 });
  });

  afterAll(async () => {
    for (const n of notifiers) await n.stop();
    await handle?.close();
    await scratch?.drop();
  });

  it('evaluates full batches at once, however long the interval', async () => {
    // An hour between batches: a notifier that waited it out would fail this test by its time limit.
    const handleBatch = await notifierWith('behind', 3_600_000);
    await handleBatch(batchOf(2));
    await handleBatch(batchOf(MAX_BATCH));
    await handleBatch(batchOf(MAX_BATCH));
  });

  it('waits out the interval before a batch that is not full', async () => {
    const intervalMs = 300;
    const handleBatch = await notifierWith('keeping-up', intervalMs);
    const firstStarted = performance.now();
    await handleBatch(batchOf(1));
    await handleBatch(batchOf(MAX_BATCH - 1));
    // A timer never fires early; a whole millisecond of slack for the clocks' rounding.
    expect(performance.now() - firstStarted).toBeGreaterThanOrEqual(intervalMs - 1);
  });
});
