import { setTimeout as sleep } from 'node:timers/promises';
import type { Consumer, ConsumerMessages, JsMsg } from '@nats-io/jetstream';

/**
 * How a reader that needs its messages only every so often takes them: what has arrived, in one pull,
 * at most once per `everyMs`. A consume keeps a pull request open, so the broker sends each message the
 * moment it is stored, and the reader wakes once per message: at 1,000 events a second that waking, not
 * the messages, is most of what reading costs (bench/support/portfolio-reader-start.ts in apps/server,
 * docs/BENCHMARKS.md). Pulled in one burst, the messages arrive in a few socket reads.
 */
export interface ReadPace {
  /** Least time between the starts of two pulls. */
  readonly everyMs: number;
  /** What waits for this consumer now (one look at the broker). */
  readonly waiting: (consumer: Consumer) => Promise<Waiting>;
}

export interface Waiting {
  /**
   * How many messages the broker would hand this consumer now: the next pull asks for that many (at
   * least one). A pull asking for more than it can have waits out its expiry.
   */
  readonly ready: number;
  /**
   * How many it has not handed over yet, ready or not (a durable consumer's MaxAckPending may hold some
   * back until acknowledgements make room). More than a pull takes is a backlog: the next pull starts
   * at once, so a backlog is read as fast as the reader takes it, whatever the pace.
   */
  readonly queued: number;
}

/** What a consume loop needs of its messages, whether consumed or pulled at a pace. */
export type LoopMessages = AsyncIterable<JsMsg> & Pick<ConsumerMessages, 'stop' | 'getReceived'>;

/**
 * The consumer's messages, pulled at `pace`: each pull asks for the messages ready (at most `max`),
 * and the next starts `everyMs` after it, or at once after a pull that could not take all that was
 * queued (a backlog, also one that MaxAckPending holds back) or that brought redeliveries (more may be
 * due: a batch handed back with a nak is not counted as waiting). Each pull stays open up to
 * `expiresMs`: one for a single message (nothing was ready) is answered when one can be handed over,
 * or ends empty then; one the broker cannot fill (messages deleted in between) ends then with what it
 * had. Ends when stopped, or fails as its pull or its count fails (the loop restarts).
 */
export function pacedFetch(consumer: Consumer, pace: ReadPace, max: number, expiresMs: number): LoopMessages {
  let received = 0;
  const stopping = new AbortController();
  const stopped = new Promise<undefined>((resolve) =>
    stopping.signal.addEventListener('abort', () => resolve(undefined), { once: true }),
  );
  let pull: ConsumerMessages | undefined;

  async function* messages(): AsyncGenerator<JsMsg> {
    let nextAt = 0;
    while (!stopping.signal.aborted) {
      const wait = nextAt - performance.now();
      if (wait > 0) await sleep(wait, undefined, { signal: stopping.signal }).catch(() => {});
      if (stopping.signal.aborted) return;
      nextAt = performance.now() + pace.everyMs;
      // A broker that does not answer the count must not hold up a stop.
      const waiting = await Promise.race([pace.waiting(consumer), stopped]);
      if (waiting === undefined) return;
      const asked = Math.min(max, Math.max(1, waiting.ready));
      pull = await consumer.fetch({ max_messages: asked, expires: expiresMs });
      if (stopping.signal.aborted) pull.stop();
      let redelivered = false;
      try {
        for await (const m of pull) {
          received++;
          redelivered ||= m.redelivered;
          yield m;
        }
      } finally {
        // Left early (the reader stopped taking, or failed): the pull still open would take messages
        // nobody reads, which a durable consumer redelivers only after their AckWait.
        pull.stop();
        pull = undefined;
      }
      if (waiting.queued > asked || redelivered) nextAt = 0;
    }
  }

  const iterable = messages();
  return {
    [Symbol.asyncIterator]: () => iterable,
    stop() {
      stopping.abort();
      pull?.stop();
    },
    getReceived: () => received,
  };
}
