import { setTimeout as delay } from 'node:timers/promises';
import { type FaultRow, recordReliabilityRow } from '@tickfolio/testing';
import { expect } from 'vitest';
import { eventually } from './eventually';
import { FaultLoad } from './fault-load';
import { checkFaultOutcome } from './fault-outcome';
import type { FaultWorld } from './fault-world';
import type { Fault } from './faults';
import { READINESS } from './request-log';

/** Limits on the waits of a run; each is a limit, not a pace: a run goes on as soon as it may. */
const WARM_UP_MS = 30_000;
const RECOVERY_MS = 30_000;
/** After recovery the burst goes on until this many more prices and writes are acknowledged. */
const PRICES_AFTER = 20;
const WRITES_AFTER = 3;

/**
 * Runs the burst through one fault: warm up, the fault for its length, then put right; waits until the
 * server does everything again by itself (ready, a write acknowledged, a new price delivered live),
 * lets the burst go on a little, stops it and checks what came of it. Records the row and returns it.
 */
export async function runFault(world: FaultWorld, fault: Fault): Promise<FaultRow> {
  const load = new FaultLoad(world);
  try {
    const warm = await eventually(
      () =>
        load.prices.length >= PRICES_AFTER &&
        load.writes.length >= WRITES_AFTER &&
        load.subscribers.every((s) => s.recording.events.length > 0),
      WARM_UP_MS,
    );
    if (!warm) throw new Error('the burst did not get going before the fault (set-up, not the fault)');

    await fault.inject(world);
    // Halfway through, the writes move to the probe investor's ledger: the investor's cached entry then
    // shows what the fault left behind, not what a write after it put right.
    await delay(fault.holdMs / 2);
    load.writeToProbe();
    await delay(fault.holdMs / 2);
    await fault.heal(world);
    const healedAt = Date.now();

    // A server that exited recovers from nothing by itself: no need to wait for it.
    let recoveredAt: number | undefined;
    await eventually(() => {
      recoveredAt = recoveryTime(load, healedAt);
      return recoveredAt !== undefined || world.serverExited();
    }, RECOVERY_MS);
    if (recoveredAt !== undefined) {
      const since = recoveredAt;
      await eventually(
        () =>
          load.prices.filter((p) => p.firstTry >= since).length >= PRICES_AFTER &&
          load.writes.filter((w) => w.triedAt >= since).length >= WRITES_AFTER,
        RECOVERY_MS,
      );
    }
    await load.stop(world.serverExited() ? 0 : undefined);

    const row = await checkFaultOutcome(world, load, fault, recoveredAt && recoveredAt - healedAt);
    await recordReliabilityRow(row);
    return row;
  } finally {
    await load.close();
  }
}

/**
 * When the server did everything again after the fault ended at `healedAt`: /readyz said ready, a
 * ledger write tried after it was acknowledged, and a price first published after it reached every
 * live subscriber. Undefined while any of these is still missing.
 */
function recoveryTime(load: FaultLoad, healedAt: number): number | undefined {
  const ready = load.log.firstSuccess(READINESS, healedAt);
  const write = load.writes.find((w) => w.triedAt >= healedAt)?.ackedAt;
  const price = load.prices.find((p) => p.firstTry >= healedAt);
  if (ready === undefined || write === undefined || price === undefined) return undefined;
  const asOf = Date.parse(price.asOf);
  const delivered: number[] = [];
  for (const s of load.subscribers) {
    const i = s.recording.events.findIndex((e) => Date.parse(e.data.asOf) >= asOf);
    if (i < 0) return undefined;
    delivered.push(s.arrivals[i]!);
  }
  return Math.max(ready, write, ...delivered);
}

/**
 * The fault did no harm: nothing lost, doubled or wrong, no gap, no hang, every refusal a 503 saying
 * when to try again, and the server recovered by itself.
 */
export function expectUnharmed(row: FaultRow): void {
  const r = row.requests;
  expect({
    pricesLost: row.pricesLost,
    pricesDoubled: row.pricesDoubled,
    writesLost: row.writesLost,
    writesDoubled: row.writesDoubled,
    wrongTotals: row.wrongViews,
    subscriberGaps: row.subscriberGaps,
    requestsHung: r.hung,
    requestsFailed: r.failed,
    requestsOtherwiseAnswered: r.other,
    unavailableWithoutRetryAfter: r.unavailable - r.unavailableWithRetryAfter,
    recovered: row.recoverMs !== null,
    serverExited: row.serverExited,
  }).toEqual({
    pricesLost: 0,
    pricesDoubled: 0,
    writesLost: 0,
    writesDoubled: 0,
    wrongTotals: [],
    subscriberGaps: 0,
    requestsHung: 0,
    requestsFailed: 0,
    requestsOtherwiseAnswered: {},
    unavailableWithoutRetryAfter: 0,
    recovered: true,
    serverExited: false,
  });
}
