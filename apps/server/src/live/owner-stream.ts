import type { LoggedEvent } from '@tickfolio/bus';
import { CoalescingQueue } from './coalescing-queue';
import type { LiveHub, OwnerChange } from './live-hub';
import { pacedFrames } from './paced-frames';
import { StreamWakeup } from './stream-wakeup';

export interface OwnerStreamOptions {
  readonly hub: LiveHub;
  /** The owners whose totals this stream carries. */
  readonly owners: ReadonlySet<string>;
  /** The last event the client saw (its stream sequence), or null for a fresh start. */
  readonly lastEventId: number | null;
  readonly queueLimit: number;
  /** Aborts when the subscriber leaves: the stream ends quietly. */
  readonly signal: AbortSignal;
  /** Aborts when the subscriber's session ends (expired or revoked): the stream fails with its reason. */
  readonly sessionEnded: AbortSignal;
  /**
   * Called every recheckMs with a function adding owners to the stream; a throw ends the stream with
   * that error (access withdrawn).
   */
  recheck(addOwner: (ownerId: string) => void): Promise<void>;
  readonly recheckMs: number;
  /**
   * Least time between two frames. A portfolio moves with every tick of anything it holds (~100 times
   * a second in a busy market): what changes within a frame leaves once, as the latest totals.
   */
  readonly frameMs: number;
  /** Whether the derived events carry the owners' account totals (a book lists portfolios only). */
  readonly withAccounts: boolean;
}

/**
 * One subscriber's portfolio totals in frames: the hub's derived portfolio-changed events for its
 * owners that changed since the previous frame, each tracked with the PORTFOLIO sequence of the price,
 * rate or ledger event that moved them, through a queue that keeps the latest per portfolio. The
 * first change after a quiet spell leaves at once; then frames are at least frameMs apart.
 *
 * Resuming (lastEventId) replays nothing: the totals are a current value, and the queue would coalesce
 * the missed ones to the latest per portfolio anyway. So the stream watches first, then, when the hub
 * has relayed anything after lastEventId, queues each owner's current totals tagged with the hub's
 * position; later changes follow with higher sequences. Nothing is missed (the snapshot is current as
 * of the position, everything after it comes live) and nothing is repeated (sequences only go up; one
 * event per portfolio per sequence).
 */
export async function* ownerStream(options: OwnerStreamOptions): AsyncGenerator<LoggedEvent[]> {
  const { hub } = options;
  const signal = AbortSignal.any([options.signal, hub.closed]);
  const wakeup = new StreamWakeup(signal);
  const { notify, fail } = wakeup;
  wakeup.failWhen(options.sessionEnded);
  const keyOf = (change: OwnerChange) => change.ownerId;

  let queue: CoalescingQueue<OwnerChange> | undefined;
  const watch = hub.watch(options.owners, (event) => {
    try {
      queue?.push(event);
      notify();
    } catch (error) {
      fail(error);
    }
  });
  const position = watch.position;
  // A last event past the hub's position is from another run of the log (an embedded server started
  // again, a stream set up anew) or from a replica ahead of this one: nothing would pass it here for a
  // while. The stream resumes as from just before the position: a snapshot, then live.
  const lastEventId =
    options.lastEventId !== null && options.lastEventId > position ? position - 1 : options.lastEventId;
  queue = new CoalescingQueue<OwnerChange>(options.queueLimit, keyOf, lastEventId ?? position);
  if (lastEventId !== null && position > lastEventId) {
    for (const ownerId of options.owners) queue.push({ seq: position, ownerId });
  }

  const timer = setInterval(() => {
    options.recheck(watch.add).catch(fail);
  }, options.recheckMs);

  try {
    // Derived when the frame is made, not when queued: the totals are current when they leave.
    yield* pacedFrames(queue, wakeup, signal, options.frameMs, (next) =>
      hub.derive(next, options.withAccounts),
    );
  } finally {
    clearInterval(timer);
    wakeup.dispose();
    watch.unwatch();
  }
}
