import type { JsMsg } from '@nats-io/jetstream';
import { describe, expect, it } from 'vitest';
import { inBatches } from './jetstream-price-source';

/** Enough of a message for inBatches: it only keeps held messages alive. */
function message(seq: number): JsMsg {
  return { seq, working: () => {} } as unknown as JsMsg;
}

describe('inBatches', () => {
  it('fails with the read that failed, after the batch in hand, and not before as an unhandled rejection', async () => {
    const readFailed = new Error('heartbeats missed');
    let releaseHandler!: () => void;
    const handlerHeld = new Promise<void>((resolve) => {
      releaseHandler = resolve;
    });
    let handlerEntered!: () => void;
    const handling = new Promise<void>((resolve) => {
      handlerEntered = resolve;
    });
    let readFails!: () => void;
    const failing = new Promise<void>((resolve) => {
      readFails = resolve;
    });
    async function* messages(): AsyncGenerator<JsMsg> {
      yield message(1);
      // The read fails while the first batch is still being handled.
      await handling;
      readFails();
      throw readFailed;
    }
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const handled: number[][] = [];
      const batches = inBatches(messages(), 10, 30_000, new AbortController().signal, async (batch) => {
        handled.push(batch.map((m) => m.seq));
        handlerEntered();
        await handlerHeld;
      });
      const outcome = batches.then(
        () => 'resolved',
        (error: unknown) => error,
      );
      // Node reports a rejection nothing handles once the microtasks after it have run: by the next turn.
      await failing;
      for (let turn = 0; turn < 3; turn++) await new Promise((resolve) => setImmediate(resolve));
      releaseHandler();
      expect(await outcome).toBe(readFailed);
      expect(handled).toEqual([[1]]);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
