import { ensureFetcherTopology, REFRESH_CONSUMER, type RefreshMessage } from '@tickfolio/bus';
import { openTestBus, type TestBus } from '@tickfolio/bus/testing';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createJetStreamRefreshQueue } from '../src/scheduler/jetstream-refresh-queue';
import { createRefreshScheduler, type RefreshScheduler } from '../src/scheduler/refresh-scheduler';
import { startRefreshWorker } from '../src/scheduler/refresh-worker';

const PERIOD_SECONDS = 600;
const log = pino({ level: 'silent' });

describe('two schedulers on one REFRESH stream', () => {
  let bus: TestBus;
  const abort = new AbortController();
  const runs: string[] = [];
  let schedulers: RefreshScheduler[];

  beforeAll(async () => {
    bus = await openTestBus();
    await ensureFetcherTopology(bus.jsm, bus.names, { replicas: 1, refreshPeriodSeconds: PERIOD_SECONDS });
    const replica = () => {
      const deps = {
        periodSeconds: PERIOD_SECONDS,
        now: () => new Date(),
        log,
      };
      const scheduler = createRefreshScheduler({
        ...deps,
        queue: createJetStreamRefreshQueue(bus.js, bus.names),
      });
      const worker = startRefreshWorker(
        {
          ...deps,
          js: bus.js,
          jsm: bus.jsm,
          names: bus.names,
          streamReplicas: 1,
          runRefresh: async (request: RefreshMessage) => {
            runs.push(
              request.type === 'refresh.requested' ? request.periodId : request.instrumentIds.join(','),
            );
          },
        },
        abort.signal,
      );
      return { scheduler, worker };
    };
    const replicas = [replica(), replica()];
    await Promise.all(replicas.map((r) => r.worker));
    schedulers = replicas.map((r) => r.scheduler);
  });

  afterAll(async () => {
    abort.abort();
    await bus?.close();
  });

  /** Every queued request has been taken and acknowledged: nothing more can run. */
  async function drained(): Promise<void> {
    await vi.waitFor(
      async () => {
        const info = await bus.jsm.consumers.info(bus.names.refresh.name, REFRESH_CONSUMER.name);
        expect(info.num_pending + info.num_ack_pending).toBe(0);
        expect(await bus.messageCount(bus.names.refresh.name)).toBe(0);
      },
      { timeout: 20_000, interval: 20 },
    );
  }

  it('runs one refresh per period, whichever replica ticks and however often', async () => {
    const start = new Date();
    const next = new Date(start.getTime() + PERIOD_SECONDS * 1000);

    const ticks = await Promise.all([...schedulers, ...schedulers].map((s) => s.tick(start)));
    expect(ticks.filter((t) => !t.duplicate)).toHaveLength(1);
    await drained();
    expect(runs).toHaveLength(1);

    // The request was acknowledged and removed from the work queue, yet its period stays de-duplicated.
    const again = await Promise.all(schedulers.map((s) => s.tick(start)));
    expect(again.every((t) => t.duplicate)).toBe(true);

    const following = await Promise.all(schedulers.map((s) => s.tick(next)));
    expect(following.filter((t) => !t.duplicate)).toHaveLength(1);
    await drained();
    expect(runs).toEqual([ticks[0]!.periodId, following[0]!.periodId]);
    expect(new Set(runs).size).toBe(2);
  });

  it('requests the current period on start, once for both replicas', async () => {
    const before = runs.length;
    // start() ticks at once; both replicas start in the same period (fixed clock below keeps it so).
    const at = new Date(Date.now() + 2 * PERIOD_SECONDS * 1000);
    const started = [0, 1].map(() =>
      createRefreshScheduler({
        periodSeconds: PERIOD_SECONDS,
        now: () => at,
        log,
        queue: createJetStreamRefreshQueue(bus.js, bus.names),
      }),
    );
    for (const s of started) s.start();
    await vi.waitFor(() => expect(runs.length).toBe(before + 1), { timeout: 20_000, interval: 20 });
    await drained();
    for (const s of started) s.stop();
    expect(runs.length).toBe(before + 1);
  });

  it('runs a targeted request of instruments once, beside the period ticks', async () => {
    const before = runs.length;
    const ids = ['00000000-0000-4000-8000-0000000000a1', '00000000-0000-4000-8000-0000000000a2'];
    const request: RefreshMessage = {
      type: 'refresh.instruments',
      instrumentIds: ids,
      requestedAt: new Date().toISOString(),
    };
    await bus.js.publish(bus.names.instrumentsRefreshSubject, JSON.stringify(request));
    await drained();
    expect(runs.slice(before)).toEqual([ids.join(',')]);
  });
});
