/**
 * The benchmark's price feed, in a process of its own (so publishing does not share an event loop with
 * the measuring): open-loop ticks at a constant arrival rate into the server's PRICES stream, through
 * the fetcher's JetStream publisher, on the benches' one open-loop schedule (runOpenLoop). Tick i is due
 * at start + i/rate; a tick sent late (the loop was behind) goes at once, and its lateness is recorded,
 * so a slow machine shows as lag rather than as a lower rate. Acks never hold up the next tick.
 *
 * Input: the path of a JSON file ({ natsUrl, streamPrefix, rate, seconds, instruments }). Output: one
 * JSON line on stdout with the rates achieved, the lateness and the failures.
 */
import { readFile } from 'node:fs/promises';
import { openQuotePublisher } from '@tickfolio/api/testing';
import { formatDecimal, type PriceQuote, parseDecimalRounded } from '@tickfolio/core';
import { runOpenLoop } from '@tickfolio/testing';

export interface TickPlan {
  readonly natsUrl: string;
  readonly streamPrefix: string;
  readonly rate: number;
  readonly seconds: number;
  /** The instruments ticked in turn, each from its latest price. */
  readonly instruments: readonly { instrumentId: string; currency: string; price: string }[];
}

export interface TickReport {
  readonly sent: number;
  readonly acked: number;
  readonly failed: number;
  /** Ticks sent per second over the run, and acks received per second until the last one. */
  readonly sendRate: number;
  readonly ackRate: number;
  /** How late ticks left against their schedule, in ms. */
  readonly lagP50Ms: number;
  readonly lagP99Ms: number;
  readonly lagMaxMs: number;
}

/** Prices walk in ten-thousandths: each tick moves an instrument by about 0.05%, up or down. */
const SCALE = 4;

const plan = JSON.parse(await readFile(process.argv[2]!, 'utf8')) as TickPlan;
const publisher = await openQuotePublisher(plan);
const prices = plan.instruments.map((i) => parseDecimalRounded(i.price, SCALE));

function tick(i: number, due: number): PriceQuote {
  const n = i % plan.instruments.length;
  const held = plan.instruments[n]!;
  const step = prices[n]! / 2000n || 1n;
  // The direction is the only random thing; the amount stays an exact decimal.
  const next = prices[n]! + (Math.random() < 0.5 ? -step : step);
  prices[n] = next > 0n ? next : prices[n]!;
  return {
    instrument: { instrumentId: held.instrumentId },
    price: formatDecimal(prices[n]!, SCALE, 2),
    currency: held.currency as PriceQuote['currency'],
    // Unique per instrument (its ticks are several milliseconds apart) and rising.
    asOf: new Date(due).toISOString(),
    source: 'desk-bench',
    kind: 'trade',
  };
}

// The wall clock of a due time, for the quote's instant: rising and unique per instrument.
const startWall = Date.now();
const startMono = performance.now();
let lastSentAt = startMono;
const run = await runOpenLoop({
  ratePerSecond: plan.rate,
  durationMs: plan.seconds * 1000,
  async send(i, intendedAt) {
    lastSentAt = performance.now();
    await publisher.publishQuote(tick(i, startWall + (intendedAt - startMono)));
    return true;
  },
});
await publisher.close();
// How late each tick went out against its schedule, as the open loop measured it.
const lag = run.sendLatenessMs;
const report: TickReport = {
  sent: run.due,
  acked: run.answered,
  failed: run.failed + run.dropped,
  sendRate: run.due / ((lastSentAt - startMono) / 1000),
  ackRate: run.achievedPerSecond,
  lagP50Ms: lag.p50,
  lagP99Ms: lag.p99,
  lagMaxMs: lag.max,
};
process.stdout.write(`${JSON.stringify(report)}\n`);
