/**
 * `pnpm bench:notifier`: the notifier's own work per event, without the machine's load in the figure.
 * A notifier on the pipeline bench's demo data (BENCH_INVESTORS investors, BENCH_RULES_PER_USER rules
 * each, the same rules as `pnpm bench:pipeline`), fed by hand on a simulated clock: every 250 ms of it a
 * batch of 250 price ticks (1,000 a second; every held instrument in turn, a ±0.05 % random walk from a
 * fixed seed), each applied to the index and handed on as the relay would, then evaluated as the
 * notifier's consumer would hand it over. The same events in the same order at every run: what it counts
 * — owners' totals read, CPU time of this process per 1,000 events — depends on the code, not on the
 * machine's other work (CPU time a little: caches and clocks are shared). No broker and no decoding: the
 * bus's share is `pnpm bench:pipeline`'s.
 */
import { createHash } from 'node:crypto';
import type { LoggedEvent, NotifierDelivery, PriceUpdatedEvent } from '@tickfolio/bus';
import { formatDecimal, PRICE_SCALE, Prng } from '@tickfolio/core';
import { holdings, openDatabase, prices } from '@tickfolio/db';
import { createScratchDatabase } from '@tickfolio/testing';
import { sql } from 'kysely';
import pino from 'pino';
import type { LiveListener } from '../src/live/live-hub';
import { notifierIndexOf } from '../src/notifier/notifier-index';
import { createReplicaValuations } from '../src/valuer/replica-valuations';
import { ValuationState } from '../src/valuer/valuation-state';
import { type BatchHandler, handDelivery, startHandFedNotifier } from '../test/support/hand-fed-notifier';
import { serverDatabase } from '../test/support/test-databases';
import { seedBenchRules } from './support/bench-rules';

const INVESTORS = Number(process.env.BENCH_INVESTORS ?? 10_000);
const RULES_PER_USER = Number(process.env.BENCH_RULES_PER_USER ?? 3);
/** Simulated seconds of ticks. */
const SECONDS = Number(process.env.BENCH_SECONDS ?? 120);
/** The first seconds are not counted (the JIT warms up; every owner is read at the start). */
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 10);
const TICKS_PER_BATCH = 250;
const BATCH_MS = 250;

const scratch = await createScratchDatabase({
  recipe: serverDatabase({ seed: 20261125, investors: INVESTORS }),
});
const handle = await openDatabase({ kind: 'postgres', url: scratch.url, max: 4 });
try {
  const db = handle.db;
  const rules = await seedBenchRules(db, RULES_PER_USER);
  const state = new ValuationState();
  await state.load(db);
  const log = pino({ level: 'silent' });
  const valuations = createReplicaValuations({ db, state, origin: 'replay', log, ledgerChanged: () => {} });
  const listeners = new Set<LiveListener>();
  const hub = {
    subscribe(listener: LiveListener) {
      listeners.add(listener);
      return { position: 0, unsubscribe: () => listeners.delete(listener) };
    },
  };
  const index = notifierIndexOf(state, valuations, hub);
  let reads = 0;
  const counted = {
    ...index,
    totals: (ownerId: string, accountId: string | null) => {
      reads++;
      return index.totals(ownerId, accountId);
    },
  };

  const held = [...new Set((await holdings.listOpenHoldings(db)).map((h) => h.instrumentId))];
  const latest = new Map((await prices.getLatestPrices(db, held)).map((p) => [p.instrumentId, p]));
  const instruments = held.filter((id) => latest.has(id));
  const walk = new Map(instruments.map((id) => [id, latest.get(id)!.price]));
  const random = new Prng(20261207);
  let clockMs = Math.max(...instruments.map((id) => Date.parse(latest.get(id)!.asOf))) + 1_000;
  const handlers = new Map<string, BatchHandler>();
  const notifier = await startHandFedNotifier({
    db,
    index: counted,
    name: 'replay',
    handlers,
    now: () => new Date(clockMs),
  });
  const evaluate = handlers.get('replay')!;

  let seq = 0;
  let tick = 0;
  function nextTick(): LoggedEvent {
    const id = instruments[tick++ % instruments.length]!;
    const before = walk.get(id)!;
    const price = before + (before * BigInt(random.int(-5, 5))) / 10_000n;
    walk.set(id, price);
    const known = latest.get(id)!;
    clockMs += BATCH_MS / TICKS_PER_BATCH;
    const event: PriceUpdatedEvent = {
      type: 'price.updated',
      instrumentId: id,
      price: formatDecimal(price, PRICE_SCALE),
      previousClose: known.previousClose === null ? null : formatDecimal(known.previousClose, PRICE_SCALE),
      currency: known.currency,
      asOf: new Date(clockMs).toISOString(),
      source: 'replay',
    };
    return { seq: ++seq, subject: `portfolio.price.${id}`, event, origin: 'valuer' };
  }

  const readsAtStart = reads;
  /** Owners' totals read by the first batch after the start (its prices are the first the notifier sees). */
  let readsFirstBatch = 0;
  let counting = { cpu: process.cpuUsage(), reads, events: 0, batches: 0 };
  const batches = (SECONDS * 1000) / BATCH_MS;
  /** Owners' totals read in each simulated minute (a window's samples fill it in its first ten). */
  const readsByMinute: number[] = new Array(Math.ceil(SECONDS / 60)).fill(0);
  for (let b = 0; b < batches; b++) {
    if (b === (WARMUP_SECONDS * 1000) / BATCH_MS)
      counting = { cpu: process.cpuUsage(), reads, events: 0, batches: 0 };
    const batch: NotifierDelivery[] = [];
    for (let i = 0; i < TICKS_PER_BATCH; i++) {
      const logged = nextTick();
      // The relay: into the index, then handed on.
      await valuations.applyEvent(logged);
      for (const listener of listeners) listener(logged);
      batch.push(handDelivery(logged));
    }
    const before = reads;
    await evaluate(batch);
    if (b === 0) readsFirstBatch = reads - before;
    const minute = Math.floor((b * BATCH_MS) / 60_000);
    readsByMinute[minute] = (readsByMinute[minute] ?? 0) + reads - before;
    counting.events += batch.length;
    counting.batches++;
  }
  const cpu = process.cpuUsage(counting.cpu);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const fired = (await sql<{ n: string }>`select count(*) as n from notifications`.execute(db)).rows[0]?.n;
  // Which notifications, not only how many: the same from two versions of the notifier means the same
  // rules fired at the same simulated instants with the same figures (ids come from the seeded data).
  const digest = createHash('sha256');
  const stored = await sql<{ owner_id: string; kind: string; created_at: Date; message: string }>`
    select owner_id, kind, created_at, message from notifications
    order by created_at, owner_id, kind, message`.execute(db);
  for (const n of stored.rows)
    digest.update(`${n.owner_id}|${n.kind}|${n.created_at.toISOString()}|${n.message}\n`);
  await notifier.stop();
  console.log(
    JSON.stringify(
      {
        investors: INVESTORS,
        rules,
        instruments: instruments.length,
        simulatedSeconds: SECONDS,
        countedFrom: WARMUP_SECONDS,
        readsAtStart,
        readsFirstBatch,
        counted: {
          events: counting.events,
          batches: counting.batches,
          ownerReads: reads - counting.reads,
          ownerReadsPerSecond: Math.round((reads - counting.reads) / (SECONDS - WARMUP_SECONDS)),
          cpuMs: Math.round(cpuMs),
          cpuMsPer1000Events: Number(((cpuMs * 1000) / counting.events).toFixed(1)),
        },
        readsByMinute,
        notificationsStored: Number(fired),
        notificationsDigest: digest.digest('hex').slice(0, 16),
      },
      null,
      2,
    ),
  );
} finally {
  await handle.close();
  await scratch.drop();
}
