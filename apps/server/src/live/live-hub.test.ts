import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { LoggedEvent, PortfolioEventLog } from '../bus/ports';
import { createLiveHub, type OwnerChange } from './live-hub';
import type { LiveValuations } from './live-valuations';

/** A log whose events the test hands in, and valuations whose holders the test replaces. */
async function startedHub() {
  let onEvent: ((event: LoggedEvent) => void) | undefined;
  const log: PortfolioEventLog = {
    origin: 'this-replica',
    publish: async () => {},
    async follow(listener) {
      onEvent = listener;
      return 0;
    },
    read: async function* () {},
  };
  const holders = new Map<string, readonly string[]>();
  const valuations: LiveValuations = {
    observe() {},
    ownersHolding: (instrumentId) => holders.get(instrumentId) ?? [],
    totals: () => undefined,
    newestPrice: () => undefined,
  };
  const relay = createLiveHub(log, pino({ level: 'silent' }));
  await relay.start(valuations);
  let seq = 0;
  const tick = (instrumentId: string) =>
    onEvent!({
      seq: ++seq,
      subject: `price.updated.${instrumentId}`,
      origin: 'other-replica',
      event: {
        type: 'price.updated',
        instrumentId,
        price: '1',
        previousClose: null,
        currency: 'USD',
        asOf: new Date(seq * 1000).toISOString(),
        source: 'test',
      },
    });
  return { hub: relay.hub, holders, tick };
}

describe('live hub fan-out of a price', () => {
  it('tells the watchers of the holders only, following new watches and new holders', async () => {
    const { hub, holders, tick } = await startedHub();
    const told: string[] = [];
    const listener = (change: OwnerChange) => told.push(`${change.ownerId}@${change.seq}`);
    const other = (change: OwnerChange) => told.push(`${change.ownerId}@${change.seq} (other)`);
    holders.set('X', ['a', 'b']);

    const watchA = hub.watch(['a', 'c'], listener);
    tick('X');
    expect(told).toEqual(['a@1']);

    // A new watch of another holder is told from the next tick on.
    const watchB = hub.watch(['b'], other);
    tick('X');
    expect(told.slice(1)).toEqual(['a@2', 'b@2 (other)']);

    // The holders change (a ledger write: a new list): c now holds X, a no longer does.
    holders.set('X', ['b', 'c']);
    tick('X');
    expect(told.slice(3)).toEqual(['b@3 (other)', 'c@3']);

    // An owner added to a watch, and an unwatch.
    watchA.add('b');
    watchB.unwatch();
    tick('X');
    expect(told.slice(5)).toEqual(['b@4', 'c@4']);
    watchA.unwatch();
    tick('X');
    expect(told).toHaveLength(7);
  });
});
