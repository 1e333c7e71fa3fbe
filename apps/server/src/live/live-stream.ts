import type { LoggedEvent } from '@tickfolio/bus';
import { CoalescingQueue } from './coalescing-queue';
import type { LiveHub } from './live-hub';
import { pacedFrames } from './paced-frames';
import { StreamWakeup } from './stream-wakeup';

export interface LiveStreamOptions {
  readonly hub: LiveHub;
  /** Subject filter for catching up from the log, e.g. portfolio.changed.<owner>. */
  readonly filter: string;
  /** Which events (live or read back) belong to this stream. */
  accepts(event: LoggedEvent): boolean;
  /** Coalescing key: one waiting event per key. */
  keyOf(event: LoggedEvent): string;
  /** The last event the client saw (its stream sequence): resume right after it. */
  readonly lastEventId: number | null;
  readonly queueLimit: number;
  /** Aborts when the subscriber leaves: the stream ends quietly. */
  readonly signal: AbortSignal;
  /** Aborts when the subscriber's session ends (expired or revoked): the stream fails with its reason. */
  readonly sessionEnded: AbortSignal;
  /** Called every recheckMs; a throw ends the stream with that error (access withdrawn). */
  recheck(): Promise<void>;
  readonly recheckMs: number;
  /** Least time between two frames: what waits meanwhile leaves together, the latest per key. */
  readonly frameMs: number;
}

/**
 * One subscriber's events, in frames: subscribe to the hub first, then read what was missed (after
 * lastEventId up to the hub's position) from the log, then live. Live events arriving during the
 * catch-up wait in a coalescing queue of their own and follow it; sequences only go up, so there is no
 * gap and no repeat.
 */
export async function* liveStream(options: LiveStreamOptions): AsyncGenerator<LoggedEvent[]> {
  const { hub } = options;
  const signal = AbortSignal.any([options.signal, hub.closed]);
  const wakeup = new StreamWakeup(signal);
  const { notify, fail } = wakeup;
  wakeup.failWhen(options.sessionEnded);

  let catchingUp = false;
  const heldDuringCatchUp = new CoalescingQueue(options.queueLimit, options.keyOf, 0);
  const subscription = hub.subscribe((event) => {
    if (!options.accepts(event)) return;
    try {
      if (catchingUp) heldDuringCatchUp.push(event);
      else queue.push(event);
      notify();
    } catch (error) {
      fail(error);
    }
  });
  // A last event past the hub's position is from another run of the log (an embedded server started
  // again, a stream set up anew) or from a replica ahead of this one: nothing would pass it here for a
  // while. The stream starts afresh from the position instead.
  const lastEventId =
    options.lastEventId !== null && options.lastEventId <= subscription.position ? options.lastEventId : null;
  catchingUp = lastEventId !== null;
  const queue = new CoalescingQueue(options.queueLimit, options.keyOf, lastEventId ?? subscription.position);

  const timer = setInterval(() => {
    options.recheck().catch(fail);
  }, options.recheckMs);

  if (catchingUp) {
    void (async () => {
      const from = (lastEventId ?? 0) + 1;
      for await (const event of hub.read(options.filter, from, subscription.position, signal)) {
        if (options.accepts(event)) queue.push(event);
        notify();
      }
      catchingUp = false;
      for (let e = heldDuringCatchUp.shift(); e; e = heldDuringCatchUp.shift()) queue.push(e);
      notify();
    })().catch(fail);
  }

  try {
    yield* pacedFrames(queue, wakeup, signal, options.frameMs, (event) => event);
  } finally {
    clearInterval(timer);
    wakeup.dispose();
    subscription.unsubscribe();
  }
}
