import type { LoggedEvent } from '@tickfolio/bus';
import { describe, expect, it } from 'vitest';
import type { LiveHub, LiveListener } from './live-hub';
import { liveStream } from './live-stream';

/** A hub at the given position whose log holds the given events. */
function fakeHub(position: number, stored: readonly LoggedEvent[]) {
  let listener: LiveListener | undefined;
  const hub = {
    subscribe(l: LiveListener) {
      listener = l;
      return { position, unsubscribe() {} };
    },
    async *read(_filter: string, fromSeq: number, toSeq: number) {
      for (const e of stored) if (e.seq >= fromSeq && e.seq <= toSeq) yield e;
    },
    closed: new AbortController().signal,
  } as unknown as LiveHub;
  return { hub, relay: (e: LoggedEvent) => listener!(e) };
}

function price(seq: number, instrumentId: string): LoggedEvent {
  return {
    seq,
    subject: `price.updated.${instrumentId}`,
    origin: 'test',
    event: {
      type: 'price.updated',
      instrumentId,
      price: '1',
      previousClose: null,
      currency: 'USD',
      asOf: new Date(seq * 1000).toISOString(),
      source: 'test',
    },
  };
}

function streamFrom(hub: LiveHub, lastEventId: number | null) {
  return liveStream({
    hub,
    filter: 'price.updated.*',
    accepts: () => true,
    keyOf: (e) => e.subject,
    lastEventId,
    queueLimit: 100,
    signal: new AbortController().signal,
    sessionEnded: new AbortController().signal,
    recheck: async () => {},
    recheckMs: 60_000,
    frameMs: 0,
  });
}

const seqs = (frame: LoggedEvent[]) => frame.map((e) => e.seq);

describe('liveStream resuming', () => {
  it('reads what the client missed from the log, then goes on live', async () => {
    const { hub, relay } = fakeHub(3, [price(1, 'X'), price(2, 'Y'), price(3, 'Z')]);
    const frames = streamFrom(hub, 1);
    const caughtUp: number[] = [];
    while (caughtUp.at(-1) !== 3) caughtUp.push(...seqs((await frames.next()).value));
    expect(caughtUp).toEqual([2, 3]);
    const next = frames.next();
    relay(price(4, 'X'));
    expect(seqs((await next).value)).toEqual([4]);
  });

  it('starts afresh from the position when the last event id is past it (a log started anew)', async () => {
    const { hub, relay } = fakeHub(3, [price(1, 'X'), price(2, 'Y'), price(3, 'Z')]);
    const frames = streamFrom(hub, 900);
    const next = frames.next();
    relay(price(4, 'X'));
    expect(seqs((await next).value)).toEqual([4]);
  });
});
