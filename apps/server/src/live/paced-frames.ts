import type { StreamWakeup } from './stream-wakeup';

/** What pacedFrames drains: a subscriber's coalescing queue. */
export interface FrameSource<T> {
  readonly size: number;
  shift(): T | undefined;
}

/**
 * A subscriber's queue as frames: everything waiting leaves together, at least frameMs after the
 * previous frame; the first change after a quiet spell leaves at once. `take` turns a queued item into
 * what the frame carries when the frame is made (so it is current), or drops it (undefined). Ends on the
 * abort; rethrows the stream's failure.
 */
export async function* pacedFrames<T, R>(
  queue: FrameSource<T>,
  wakeup: StreamWakeup,
  signal: AbortSignal,
  frameMs: number,
  take: (item: T) => R | undefined,
): AsyncGenerator<R[]> {
  let nextFrameAt = 0;
  while (!signal.aborted) {
    if (wakeup.failure) throw wakeup.failure;
    if (queue.size === 0) {
      await wakeup.wait();
      continue;
    }
    const early = nextFrameAt - performance.now();
    if (early > 0) {
      await wakeup.pause(early);
      continue;
    }
    const frame: R[] = [];
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      const item = take(next);
      if (item !== undefined) frame.push(item);
    }
    nextFrameAt = performance.now() + frameMs;
    if (frame.length) yield frame;
  }
}
