import { setTimeout as sleep } from 'node:timers/promises';

export interface OpenLoopOptions {
  /** Arrivals per second, evenly spaced: request i is due at start + i / rate. */
  readonly ratePerSecond: number;
  readonly durationMs: number;
  /**
   * Sends one request; resolves true when it was answered as expected. Rejections count as failures.
   * `intendedAt` is when it was due, on the `now` clock (a late request knows how late it is).
   */
  send(index: number, intendedAt: number): Promise<boolean>;
  /**
   * Requests in flight beyond which the generator stops sending and counts the due ones as dropped,
   * so a stalled target cannot make it hold unbounded memory. Dropped requests are reported, never
   * hidden: a run with any is not a valid measurement of the rate.
   */
  readonly maxInFlight?: number;
  /** Injected for tests; performance.now by default. */
  readonly now?: () => number;
}

export interface LatencySummary {
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly p999: number;
  readonly max: number;
}

export interface OpenLoopResult {
  /** Requests that were due during the run. */
  readonly due: number;
  readonly answered: number;
  readonly failed: number;
  readonly dropped: number;
  /**
   * Answers per second, from the start to the last answer: a target that falls behind answers the rate
   * only over a longer time, which this shows.
   */
  readonly achievedPerSecond: number;
  /** Latency of the answered requests, in ms, from each request's intended send time. */
  readonly latencyMs: LatencySummary;
  /**
   * How late the generator itself sent each request, in ms after it was due: the part of the latency
   * that is the generator's (timer granularity, its own stalls), so a report can tell it from the target's.
   */
  readonly sendLatenessMs: LatencySummary;
  /** The share of the run the generator's event loop was busy (0..1), from eventLoopUtilization. */
  readonly loopUtilization: number;
}

/** The value at quantile q (0..1) of ascending values, nearest-rank; 0 when empty. */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}

export function summarizeLatencies(values: ArrayLike<number>): LatencySummary {
  const sorted = Float64Array.from(values).sort();
  return {
    p50: quantile(sorted, 0.5),
    p90: quantile(sorted, 0.9),
    p99: quantile(sorted, 0.99),
    p999: quantile(sorted, 0.999),
    max: sorted.length ? sorted[sorted.length - 1]! : 0,
  };
}

/**
 * Open-loop load at a constant arrival rate, as wrk2 and k6's constant-arrival-rate executor generate
 * it: request i is due at start + i / rate whether or not earlier ones were answered, and its latency
 * is measured from that intended time, not from when it went out. A generator that waits for answers
 * (closed loop), or that sends late requests and times them from their late start, hides the queueing
 * a slow server causes (coordinated omission); one that sends in bursts to make up a rate measures the
 * queueing it caused itself. When the generator's own loop falls behind, the due requests go out at
 * once and carry their lateness in their latency.
 */
export async function runOpenLoop(options: OpenLoopOptions): Promise<OpenLoopResult> {
  const now = options.now ?? (() => performance.now());
  const intervalMs = 1000 / options.ratePerSecond;
  const total = Math.floor((options.durationMs / 1000) * options.ratePerSecond);
  const maxInFlight = options.maxInFlight ?? 10_000;
  const latencies = new Float64Array(total);
  const lateness = new Float64Array(total);
  let answered = 0;
  let failed = 0;
  let dropped = 0;
  let inFlight = 0;
  let sent = 0;
  let lastAnswerAt = 0;
  const pending = new Set<Promise<void>>();
  const loopAtStart = performance.eventLoopUtilization();
  const start = now();

  for (let i = 0; i < total; ) {
    const elapsed = now() - start;
    // Every request due by now goes out at once; each is timed from its own due time.
    while (i < total && i * intervalMs <= elapsed) {
      const intended = start + i * intervalMs;
      if (inFlight >= maxInFlight) {
        dropped += 1;
        i += 1;
        continue;
      }
      inFlight += 1;
      lateness[sent] = now() - intended;
      sent += 1;
      const sending = options
        .send(i, intended)
        .then(
          (ok) => {
            if (!ok) {
              failed += 1;
              return;
            }
            lastAnswerAt = now();
            latencies[answered] = lastAnswerAt - intended;
            answered += 1;
          },
          () => {
            failed += 1;
          },
        )
        .finally(() => {
          inFlight -= 1;
          pending.delete(sending);
        });
      pending.add(sending);
      i += 1;
    }
    if (i < total) {
      // Sleep until the next request is due. Timers fire after 1 ms at the soonest, so at high rates a
      // wake-up sends every request due by then, each timed from its own due time. The generator never
      // spins to be more punctual: a spinning loop holds a core, which on a small machine it takes from
      // the server it measures (it did: a core of two, making the server's tail the generator's doing).
      const wait = start + i * intervalMs - now();
      await sleep(Math.max(1, Math.floor(wait)));
    }
  }
  const loopUtilization = performance.eventLoopUtilization(loopAtStart).utilization;
  await Promise.all(pending);
  return {
    due: total,
    answered,
    failed,
    dropped,
    achievedPerSecond: answered ? answered / ((lastAnswerAt - start) / 1000) : 0,
    latencyMs: summarizeLatencies(latencies.subarray(0, answered)),
    sendLatenessMs: summarizeLatencies(lateness.subarray(0, sent)),
    loopUtilization,
  };
}
