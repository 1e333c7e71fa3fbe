import type { LoggedEvent } from '@tickfolio/bus';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LiveHub, OwnerChange, OwnerListener } from './live-hub';
import { ownerStream } from './owner-stream';

/** A hub that derives an owner's "totals" as the sequence of the change: enough to see coalescing. */
function fakeHub(position = 0) {
  let listener: OwnerListener | undefined;
  const closed = new AbortController();
  const hub: LiveHub = {
    subscribe: () => ({ position: 0, unsubscribe() {} }),
    watch(_owners, l) {
      listener = l;
      return { position, add() {}, unwatch() {} };
    },
    derive: (change: OwnerChange): LoggedEvent => ({
      seq: change.seq,
      subject: `portfolio.changed.${change.ownerId}`,
      origin: 'test',
      event: {
        type: 'portfolio.changed',
        ownerId: change.ownerId,
        asOf: change.asOf ?? '',
        totals: {
          currency: 'USD',
          marketValue: String(change.seq),
          costBasis: '0',
          unrealizedGain: '0',
          unrealizedGainPercent: null,
          dayChange: '0',
          dayChangePercent: null,
        },
        accounts: [],
        cause: { kind: 'price', instrumentId: 'I' },
      },
    }),
    read: async function* () {},
    closed: closed.signal,
  };
  const change = (seq: number, ownerId: string) => listener!({ seq, ownerId, asOf: `t${seq}` });
  return { hub, change };
}

const FRAME_MS = 1000;

describe('ownerStream frames', () => {
  beforeEach(() => {
    vi.useFakeTimers({
      toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'performance'],
    });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends the first change at once, then coalesces what comes within a frame to the latest per owner', async () => {
    const { hub, change } = fakeHub();
    const stop = new AbortController();
    const frames = ownerStream({
      hub,
      owners: new Set(['A', 'B']),
      lastEventId: null,
      queueLimit: 100,
      signal: stop.signal,
      sessionEnded: new AbortController().signal,
      recheck: async () => {},
      recheckMs: 60_000,
      frameMs: FRAME_MS,
      withAccounts: false,
    });
    const ids = (frame: LoggedEvent[]) =>
      frame.map((e) => `${e.event.type === 'portfolio.changed' ? e.event.ownerId : '?'}@${e.seq}`);

    const first = frames.next();
    change(1, 'A');
    expect(ids((await first).value)).toEqual(['A@1']);

    // Within the frame: A twice, then B. Nothing leaves until the frame's time has come.
    const second = frames.next();
    let settled = false;
    void second.then(() => {
      settled = true;
    });
    change(2, 'A');
    change(3, 'B');
    change(4, 'A');
    await vi.advanceTimersByTimeAsync(FRAME_MS - 10);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(10);
    expect(ids((await second).value)).toEqual(['B@3', 'A@4']);

    // Abort ends the stream even while it paces.
    change(5, 'B');
    const third = frames.next();
    stop.abort();
    expect((await third).done).toBe(true);
  });

  it('fails with the reason when the session ends, even between frames, and lets the hub go', async () => {
    const { hub, change } = fakeHub();
    let unwatched = false;
    const watching = hub.watch;
    hub.watch = (owners, listener) => ({
      ...watching(owners, listener),
      unwatch: () => {
        unwatched = true;
      },
    });
    const session = new AbortController();
    const frames = ownerStream({
      hub,
      owners: new Set(['A']),
      lastEventId: null,
      queueLimit: 100,
      signal: new AbortController().signal,
      sessionEnded: session.signal,
      recheck: async () => {},
      recheckMs: 60_000,
      frameMs: FRAME_MS,
      withAccounts: false,
    });
    const first = frames.next();
    change(1, 'A');
    await first;
    // A change waits for its frame when the session ends.
    change(2, 'A');
    const next = frames.next();
    const revoked = new Error('revoked');
    session.abort(revoked);
    await expect(next).rejects.toBe(revoked);
    expect(unwatched).toBe(true);
  });

  it('resumes a last event id past the hub’s position (a log started anew) with a snapshot, then live', async () => {
    const { hub, change } = fakeHub(5);
    const frames = ownerStream({
      hub,
      owners: new Set(['A', 'B']),
      lastEventId: 900,
      queueLimit: 100,
      signal: new AbortController().signal,
      sessionEnded: new AbortController().signal,
      recheck: async () => {},
      recheckMs: 60_000,
      frameMs: FRAME_MS,
      withAccounts: false,
    });
    const seqs = (frame: LoggedEvent[]) =>
      frame.map((e) => `${e.event.type === 'portfolio.changed' ? e.event.ownerId : '?'}@${e.seq}`);
    expect(seqs((await frames.next()).value)).toEqual(['A@5', 'B@5']);
    const next = frames.next();
    change(6, 'A');
    await vi.advanceTimersByTimeAsync(FRAME_MS);
    expect(seqs((await next).value)).toEqual(['A@6']);
  });
});
