import { isDeepStrictEqual } from 'node:util';
import type { TotalsView } from '@tickfolio/core';
import { holdings, prices } from '@tickfolio/db';
import type { FaultRow } from '@tickfolio/testing';
import { sql } from 'kysely';
import { valuationCacheKey } from '../../src/portfolio/cached-valuation';
import { eventually } from './eventually';
import type { FaultLoad, Subscriber } from './fault-load';
import type { FaultWorld } from './fault-world';
import type { Fault } from './faults';
import { ledgerValuation } from './ledger-valuation';

/** Limits on the waits for the pipeline to settle after the burst (limits, not paces). */
const SETTLE_MS = 30_000;

/**
 * What came of a fault, once the burst has stopped and the pipeline settled: each acknowledged price
 * stored exactly once and announced at most once; each acknowledged write in the ledger once and the
 * holding moved by exactly the ledger; every view of the totals — both live streams' last events, the
 * API's summary, the cached entry — equal to a full revaluation of the ledger; live events in order,
 * the streams still open; every request answered within the bound.
 */
export async function checkFaultOutcome(
  world: FaultWorld,
  load: FaultLoad,
  fault: Fault,
  recoverMs: number | undefined,
): Promise<FaultRow> {
  const db = world.database.db;
  const { instrumentId } = world.investor;
  const acked = new Set(load.prices.map((p) => p.asOf));

  // Redeliveries of what the server held when the fault hit come back after their back-off.
  const storedAsOfs = async () =>
    (await prices.getPriceHistory(db, instrumentId, { source: 'burst' })).map((p) => p.asOf);
  // A server that exited settles nothing: the waits end at once.
  const gone = () => world.serverExited();
  await eventually(
    async () => gone() || (await storedAsOfs()).filter((a) => acked.has(a)).length === acked.size,
    SETTLE_MS,
  );
  const stored = await storedAsOfs();
  const storedOnce = new Set(stored);
  const announced = (
    await world.broker.portfolioEvents(world.broker.names.priceUpdatedSubject(instrumentId))
  ).map(({ event }) => String(event.asOf));

  const { rows: ledgerRows } = await sql<{ key: string; n: number }>`
    select idempotency_key as key, count(*)::int as n from transactions
    where idempotency_key like ${`${load.keyPrefix}%`} group by idempotency_key`.execute(db);
  const inLedger = new Map(ledgerRows.map((r) => [r.key, r.n]));

  // Every view of the totals converges on a full revaluation of the ledger once the pipeline is quiet.
  let views: TotalsViewCheck[] = [];
  await eventually(async () => {
    views = await totalsViews(world, load);
    return gone() || views.every((v) => v.right);
  }, SETTLE_MS);
  // Each holding the writes went to moved by exactly what the ledger holds.
  let holdingsOff = 0;
  for (const who of [world.investor, world.probe]) {
    const { positions } = await ledgerValuation(db, who.ownerId);
    const derived = positions.find(
      (p) => p.accountId === who.accountId && p.instrumentId === who.instrumentId,
    );
    const kept = await holdings.getHolding(db, who.accountId, who.instrumentId);
    if (kept?.quantity !== derived?.quantity) holdingsOff += 1;
  }

  const row: Omit<FaultRow, 'passed'> = {
    kind: 'fault',
    id: fault.id,
    fault: fault.description,
    pricesAcknowledged: acked.size,
    pricesLost: [...acked].filter((a) => !storedOnce.has(a)).length,
    pricesDoubled: stored.length - storedOnce.size + announced.length - new Set(announced).size,
    writesAcknowledged: load.writes.length,
    writesLost: load.writes.filter((w) => !inLedger.has(w.key)).length,
    writesDoubled: [...inLedger.values()].reduce((n, count) => n + count - 1, 0) + holdingsOff,
    totalsChecked: views.length,
    totalsWrong: views.filter((v) => !v.right).length,
    wrongViews: views.filter((v) => !v.right).map((v) => v.name),
    subscriberGaps: load.subscribers.reduce((n, s) => n + gaps(s), 0),
    subscriberResumes: load.subscribers.reduce((n, s) => n + s.recording.interruptions, 0),
    requests: load.log.counts(),
    recoverMs: recoverMs ?? null,
    serverExited: world.serverExited(),
    at: new Date().toISOString(),
  };
  return { ...row, passed: passed(row) };
}

/** One view of an owner's totals, and whether it equals a full revaluation of the owner's ledger. */
interface TotalsViewCheck {
  readonly name: string;
  readonly right: boolean;
}

/**
 * Every view of the totals, each against a full revaluation of its owner's ledger: the last event of
 * each live stream and the summary of the investor, the probe investor's summary (a read fills the
 * cache when an entry is missing), and every valuation entry in the cache (the investor's and the probe
 * investor's must be there after those reads).
 */
async function totalsViews(world: FaultWorld, load: FaultLoad): Promise<TotalsViewCheck[]> {
  const db = world.database.db;
  const expected = new Map<string, TotalsView>();
  const expectedOf = async (ownerId: string) => {
    if (!expected.has(ownerId)) expected.set(ownerId, (await ledgerValuation(db, ownerId)).totals);
    return expected.get(ownerId)!;
  };
  const checks: TotalsViewCheck[] = [];
  const check = async (name: string, ownerId: string, totals: TotalsView | undefined) =>
    checks.push({ name, right: isDeepStrictEqual(totals, await expectedOf(ownerId)) });
  const { investor, probe } = world;
  for (const s of load.subscribers) {
    await check(`${s.name} stream`, investor.ownerId, s.recording.events.at(-1)?.data.totals);
  }
  for (const [name, who] of [
    ['investor', investor],
    ['probe', probe],
  ] as const) {
    const summary = await load.api[name].portfolio.summary.query().catch(() => undefined);
    await check(`${name} summary`, who.ownerId, summary?.totals);
  }
  const prefix = `${world.redisKeyPrefix}${valuationCacheKey('')}`;
  const keys = await world.redis.keys(`${prefix}*`);
  for (const ownerId of new Set([
    investor.ownerId,
    probe.ownerId,
    ...keys.map((k) => k.slice(prefix.length)),
  ])) {
    const text = await world.redis.get(prefix + ownerId);
    const entry = text ? (JSON.parse(text) as { valuation: { totals: TotalsView } }) : undefined;
    await check(
      `cached entry of ${ownerId === investor.ownerId ? 'investor' : ownerId === probe.ownerId ? 'probe' : ownerId}`,
      ownerId,
      entry?.valuation.totals,
    );
  }
  return checks;
}

/** Events that did not move forward (a repeat, or back in time), and 1 when the stream ended. */
function gaps(s: Subscriber): number {
  const { events, error, completed } = s.recording;
  let n = error || completed ? 1 : 0;
  for (let i = 1; i < events.length; i++) if (Number(events[i]!.id) <= Number(events[i - 1]!.id)) n += 1;
  return n;
}

function passed(row: Omit<FaultRow, 'passed'>): boolean {
  const r = row.requests;
  return (
    row.pricesLost + row.pricesDoubled + row.writesLost + row.writesDoubled === 0 &&
    row.totalsWrong + row.subscriberGaps === 0 &&
    r.hung + r.failed === 0 &&
    r.unavailable === r.unavailableWithRetryAfter &&
    Object.keys(r.other).length === 0 &&
    row.recoverMs !== null &&
    !row.serverExited
  );
}
