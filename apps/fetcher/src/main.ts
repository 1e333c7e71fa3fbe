import { type JetStreamClient, type JetStreamManager, jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import {
  connectNats,
  createJetStreamPublisher,
  ensureFetcherTopology,
  type PriceEventPublisher,
  streamNames,
} from '@tickfolio/bus';
import { FX_SCALE, formatDecimal, type Instrument, PRICE_SCALE } from '@tickfolio/core';
import {
  createQuoteInstrumentResolver,
  type DatabaseHandle,
  type Db,
  fxRates,
  instruments,
  openDatabase,
  prices,
} from '@tickfolio/db';
import type { Logger } from '@tickfolio/process';
import type { FastifyInstance } from 'fastify';
import type { FetcherConfig } from './config';
import { QuoteGuard } from './guards/quote-guard';
import { buildHttpServer } from './http/build-http-server';
import { createWebhookIntake } from './http/webhook-intake';
import { readRefreshTargets } from './refresh/refresh-targets';
import { createRefresher, type RefreshSummary } from './refresh/refresher';
import { ScreenedPublisher } from './refresh/screened-publisher';
import { seedGuardFromDatabase } from './refresh/seed-guard';
import { liveSourceSet, type SourceSet, simulatedSourceSet } from './refresh/source-set';
import { createInProcessRefreshQueue } from './scheduler/in-process-refresh-queue';
import { createJetStreamRefreshQueue } from './scheduler/jetstream-refresh-queue';
import type { RefreshRequestQueue } from './scheduler/refresh-requests';
import { createRefreshScheduler, type RefreshScheduler } from './scheduler/refresh-scheduler';
import { type RefreshWorker, startRefreshWorker } from './scheduler/refresh-worker';
import { createSimulatedTicker, type SimulatedTicker } from './scheduler/simulated-ticker';
import { SourceSelector } from './sources/source-selector';
import { replayTtlMs, WebhookReplayGuard } from './webhooks/webhook-replay-guard';
import { WEBHOOK_TOLERANCE_SECONDS } from './webhooks/webhook-signature';

/** What an embedding process (the server's embedded mode) or a test puts in place of the defaults. */
export interface FetcherDeps {
  /** Publish here instead of JetStream (NATS_URL is then ignored; refreshes are scheduled in-process). */
  readonly publisher?: PriceEventPublisher;
  /** Use this database instead of opening DATABASE_URL (it stays open on stop). */
  readonly db?: Db;
  /** Sources instead of those the config selects. */
  readonly sources?: SourceSet;
  /** Whether to serve HTTP (webhooks, health); default true. */
  readonly listen?: boolean;
  readonly now?: () => Date;
}

export interface FetcherStats {
  /** Refreshes this process ran to the end. */
  readonly refreshes: number;
  readonly lastRefresh: RefreshSummary | null;
}

export interface FetcherApp {
  /** Connects, sets streams up, starts the scheduler (and HTTP unless listen: false); resolves with the URL. */
  start(): Promise<{ readonly url: string | null }>;
  stop(): Promise<void>;
  /** Queues the refresh of the period `at` falls in, as the scheduler's timer does. */
  tick(at?: Date): Promise<{ readonly periodId: string; readonly duplicate: boolean }>;
  /** Runs a full refresh in this process now, outside the schedule. */
  refreshNow(): Promise<RefreshSummary>;
  stats(): FetcherStats;
}

const SIMULATED_PER_TICK = 3;
const HELD_CACHE_MS = 60_000;

class NotStartedError extends Error {
  override readonly name = 'NotStartedError';
  constructor() {
    super('the fetcher is not running');
  }
}

/**
 * Composition root of the fetcher: sources → guard → publisher (JetStream, or the injected in-process
 * one), a scheduler queuing one refresh per period, the refresh worker, the webhook endpoint and, for
 * the demo, a simulated ticker. Without NATS (embedded) the same parts run with in-process stand-ins.
 */
export function createFetcherApp(config: FetcherConfig, log: Logger, deps: FetcherDeps = {}): FetcherApp {
  const now = deps.now ?? (() => new Date());
  const nowMs = () => now().getTime();
  const names = streamNames(config.streamPrefix);
  let refreshes = 0;
  let lastRefresh: RefreshSummary | null = null;

  let abort: AbortController | undefined;
  let database: DatabaseHandle | undefined;
  let nc: NatsConnection | undefined;
  let http: FastifyInstance | undefined;
  let scheduler: RefreshScheduler | undefined;
  let worker: RefreshWorker | undefined;
  let ticker: SimulatedTicker | undefined;
  let idle: (() => Promise<void>) | undefined;
  let runRefresh: ((signal: AbortSignal) => Promise<RefreshSummary>) | undefined;

  async function openDb(): Promise<Db> {
    if (deps.db) return deps.db;
    if (!config.databaseUrl) throw new Error('DATABASE_URL is required unless a database is injected');
    database = await openDatabase({
      kind: 'postgres',
      url: config.databaseUrl,
      onPoolError: (error) => log.warn({ err: error }, 'database connection lost'),
    });
    return database.db;
  }

  async function simulatedStart(db: Db) {
    const [latest, rates] = await Promise.all([prices.getLatestPrices(db), fxRates.listFxRates(db)]);
    return {
      prices: new Map(latest.map((p) => [p.instrumentId, formatDecimal(p.price, PRICE_SCALE)])),
      rates: Object.fromEntries(rates.map((r) => [`${r.base}${r.quote}`, formatDecimal(r.rate, FX_SCALE)])),
    };
  }

  async function stop(): Promise<void> {
    abort?.abort();
    scheduler?.stop();
    await ticker?.stop();
    await http?.close();
    await worker?.done;
    await idle?.();
    await nc?.drain().catch(() => undefined);
    await database?.close();
    abort = database = nc = http = scheduler = worker = ticker = idle = runRefresh = undefined;
  }

  return {
    async start() {
      abort = new AbortController();
      const signal = abort.signal;
      try {
        const db = await openDb();
        let js: JetStreamClient | undefined;
        let jsm: JetStreamManager | undefined;
        let publisher = deps.publisher;
        if (!publisher) {
          if (!config.natsUrl) throw new Error('NATS_URL is required unless a publisher is injected');
          nc = await connectNats(config.natsUrl, 'tickfolio-fetcher');
          jsm = await jetstreamManager(nc);
          js = jetstream(nc);
          await ensureFetcherTopology(jsm, names, config.refreshPeriodSeconds);
          publisher = createJetStreamPublisher(js, names);
        }

        const guard = new QuoteGuard({ ...config.guard, now: nowMs });
        await seedGuardFromDatabase(db, guard);
        const publish = new ScreenedPublisher(guard, publisher, log);
        const sources =
          deps.sources ??
          (config.priceSources === 'simulated'
            ? simulatedSourceSet(await simulatedStart(db), nowMs)
            : liveSourceSet(config.sources, nowMs));
        const selector = new SourceSelector({
          registry: sources.registry,
          priorities: sources.priorities,
          staleAfterSeconds: { default: config.staleAfterSeconds },
          now: nowMs,
        });
        const refresher = createRefresher({
          readTargets: () => readRefreshTargets(db),
          seedGuard: (targets) =>
            seedGuardFromDatabase(
              db,
              guard,
              targets.instruments.map((i) => i.id),
            ),
          selector,
          fxSources: sources.registry.fxSources,
          publish,
          log,
        });
        runRefresh = async (refreshSignal) => {
          const summary = await refresher.refresh(refreshSignal);
          refreshes++;
          lastRefresh = summary;
          return summary;
        };
        const run = runRefresh;

        let queue: RefreshRequestQueue;
        if (js && jsm) {
          queue = createJetStreamRefreshQueue(js, names);
          worker = startRefreshWorker(
            {
              js,
              jsm,
              names,
              periodSeconds: config.refreshPeriodSeconds,
              now,
              log,
              runRefresh: (_request, refreshSignal) => run(refreshSignal),
            },
            signal,
          );
        } else {
          // A refresh cut short by stop() is no failure worth logging.
          const inProcess = createInProcessRefreshQueue(
            () =>
              run(signal).catch((error: unknown) => {
                if (!signal.aborted) throw error;
              }),
            log,
          );
          idle = inProcess.idle;
          queue = inProcess;
        }
        scheduler = createRefreshScheduler({ periodSeconds: config.refreshPeriodSeconds, queue, now, log });
        scheduler.start();

        if (config.simulatedTickMs > 0) {
          const simulated = sources.registry.instrumentSource('simulated');
          if (!simulated)
            throw new Error('SIMULATED_TICK_MS needs the simulated source (PRICE_SOURCES=simulated)');
          let held: { at: number; instruments: readonly Instrument[] } | undefined;
          ticker = createSimulatedTicker({
            everyMs: config.simulatedTickMs,
            perTick: SIMULATED_PER_TICK,
            source: simulated,
            publish,
            log,
            async heldInstruments() {
              if (!held || nowMs() - held.at > HELD_CACHE_MS) {
                held = { at: nowMs(), instruments: (await readRefreshTargets(db)).instruments };
              }
              return held.instruments;
            },
          });
          ticker.start();
        }

        if (deps.listen === false) return { url: null };
        const intake = createWebhookIntake({
          secrets: config.webhookSecrets,
          replays: new WebhookReplayGuard({
            ttlMs: replayTtlMs(WEBHOOK_TOLERANCE_SECONDS),
            maxEntries: 100_000,
            now: nowMs,
          }),
          instruments: createQuoteInstrumentResolver(db),
          publish,
          now: nowMs,
          log,
        });
        const connection = nc;
        http = await buildHttpServer({
          log,
          webhooks: { intake },
          async readiness(): Promise<Record<string, boolean>> {
            const database = await instruments.listInstruments(db, { limit: 1 }).then(
              () => true,
              () => false,
            );
            return connection ? { database, nats: !connection.isClosed() } : { database };
          },
        });
        await http.listen({ host: config.http.host, port: config.http.port });
        const address = http.server.address();
        const port = typeof address === 'object' && address ? address.port : config.http.port;
        return { url: `http://${config.http.host}:${port}` };
      } catch (error) {
        await stop();
        throw error;
      }
    },
    stop,
    tick(at) {
      if (!scheduler) throw new NotStartedError();
      return scheduler.tick(at);
    },
    refreshNow() {
      if (!runRefresh || !abort) throw new NotStartedError();
      return runRefresh(abort.signal);
    },
    stats: () => ({ refreshes, lastRefresh }),
  };
}
