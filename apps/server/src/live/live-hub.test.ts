import type { LoggedEvent, PortfolioEventLog } from '@tickfolio/bus';
import pino from 'pino';
import { describe, expect, it, vi } from 'vitest';
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
  /** Sequences the index calls stale (a price older than its own). */
  const stale = new Set<number>();
  /** Sequences the index applies later (another replica's ledger write, read again), until resolved. */
  const applying = new Map<number, Promise<boolean>>();
  /** Each owner's market value in the index, as the test sets it. */
  const values = new Map<string, string>();
  const valuations: LiveValuations = {
    applyEvent: (event) => applying.get(event.seq) ?? !stale.has(event.seq),
    ownersHolding: (instrumentId) => holders.get(instrumentId) ?? [],
    totals: (ownerId) => {
      const marketValue = values.get(ownerId);
      if (marketValue === undefined) return undefined;
      const totals = {
        currency: 'USD',
        marketValue,
        costBasis: '0.00',
        unrealizedGain: marketValue,
        dayChange: '0.00',
      };
      return { totals: totals as never, accounts: [] };
    },
    newestPrice: () => undefined,
    holdingsDigest: () => undefined,
  };
  const relay = createLiveHub(log, valuations, pino({ level: 'silent' }));
  await relay.start();
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
  const ledgerWrite = (ownerId: string, marketValue: string) =>
    onEvent!({
      seq: ++seq,
      subject: `portfolio.changed.${ownerId}`,
      origin: 'other-replica',
      event: {
        type: 'portfolio.changed',
        ownerId,
        asOf: new Date(seq * 1000).toISOString(),
        totals: {
          currency: 'USD',
          marketValue,
          costBasis: '0.00',
          unrealizedGain: marketValue,
          dayChange: '0.00',
        } as never,
        accounts: [],
        cause: { kind: 'holding', accountId: 'acc' },
      },
    });
  return { hub: relay.hub, holders, stale, applying, values, tick, ledgerWrite, nextSeq: () => seq + 1 };
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

  it('passes on no price the index calls stale (another replica’s, announced after a newer one)', async () => {
    const { hub, holders, stale, tick } = await startedHub();
    holders.set('X', ['a']);
    const told: number[] = [];
    const relayed: number[] = [];
    hub.watch(['a'], (change) => told.push(change.seq));
    hub.subscribe((event) => relayed.push(event.seq));
    stale.add(2);
    tick('X');
    tick('X');
    tick('X');
    expect(told).toEqual([1, 3]);
    expect(relayed).toEqual([1, 3]);
    // Still relayed past it: a new subscriber starts after the stale one.
    expect(hub.watch([], () => {}).position).toBe(3);
  });
});

describe('live hub fan-out of a ledger write', () => {
  it('derives the owner’s totals from the index, not the ones the event was sent with', async () => {
    const { hub, values, ledgerWrite } = await startedHub();
    const told: OwnerChange[] = [];
    hub.watch(['a'], (change) => told.push(change));
    values.set('a', '150.00');
    // Sent again after an outage: its totals are older than the index's.
    ledgerWrite('a', '100.00');
    expect(told.map((c) => c.seq)).toEqual([1]);
    expect(hub.derive(told[0]!, false)?.event).toMatchObject({ totals: { marketValue: '150.00' } });
  });

  it('holds the events after another replica’s write until the index has read it, in order', async () => {
    const { hub, holders, applying, ledgerWrite, tick, nextSeq } = await startedHub();
    holders.set('X', ['a']);
    const told: number[] = [];
    const relayed: number[] = [];
    hub.watch(['a'], (change) => told.push(change.seq));
    hub.subscribe((event) => relayed.push(event.seq));
    let read = (_: boolean) => {};
    applying.set(
      nextSeq(),
      new Promise<boolean>((resolve) => {
        read = resolve;
      }),
    );
    ledgerWrite('a', '100.00');
    tick('X');
    expect(told).toEqual([]);
    expect(hub.watch([], () => {}).position).toBe(0);

    read(true);
    await vi.waitFor(() => expect(told).toEqual([1, 2]));
    expect(relayed).toEqual([1, 2]);
    // Once the backlog is through, events are passed on at once again.
    tick('X');
    expect(told).toEqual([1, 2, 3]);
  });
});
