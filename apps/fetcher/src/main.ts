import { type JetStreamClient, type JetStreamManager, jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import {
  connectNats,
  createJetStreamPublisher,
  ensureFetcherTopology,
  type PriceEventPublisher,
  REFRESH_CONSUMER,
  readConsumerStats,
  serveInstrumentLookup,
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
import {
  createMetricsRegistry,
  type Logger,
  type MetricsEndpoint,
  type Registry,
  registerConsumerGauges,
  scrapeRead,
  serveMetrics,
} from '@tickfolio/process';
import type { FastifyInstance } from 'fastify';
import type { FetcherConfig } from './config';
import { QuoteGuard } from './guards/quote-guard';
import { buildHttpServer } from './http/build-http-server';
import { createWebhookIntake } from './http/webhook-intake';
import { createInstrumentLookup } from './lookup/instrument-lookup';
import { createFetcherMetrics } from './metrics/fetcher-metrics';
import { measuredSources, registerCircuitGauges } from './metrics/measured-sources';
import { countScreening, measuredRefresh } from './metrics/pipeline-counters';
import { createHeldPriceStore } from './refresh/held-price-store';
import { readRefreshTargets } from './refresh/refresh-targets';
import { createRefresher, type RefreshSummary } from './refresh/refresher';
import { ScreenedPublisher, type ScreeningCounters } from './refresh/screened-publisher';
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
  /**
   * Register the fetcher's metric families here (the embedding server's registry) instead of a registry
   * of the fetcher's own served on METRICS_PORT.
   */
  readonly metrics?: Registry;
}

export interface FetcherStats {
  /** Refreshes this process ran to the end. */
  readonly refreshes: number;
  readonly lastRefresh: RefreshSummary | null;
  /**
   * The guard's refusals by reason, jumps and passes, and the holds placed, released and rejected, since
   * start (null before start). /metrics counts the same outcomes by source (metrics/pipeline-counters).
   */
  readonly screening: ScreeningCounters | null;
}

export interface FetcherApp {
  /**
   * Connects, sets streams up, starts the scheduler (and HTTP unless listen: false); resolves with the
   * webhook URL and where /metrics is served (null when not listening or METRICS_PORT is off).
   */
  start(): Promise<{ readonly url: string | null; readonly metricsUrl: string | null }>;
  stop(): Promise<void>;
  /** Queues the refresh of the period `at` falls in, as the scheduler's timer does. */
  tick(at?: Date): Promise<{ readonly periodId: string; readonly duplicate: boolean }>;
  /** Runs a full refresh in this process now, outside the schedule. */
  refreshNow(): Promise<RefreshSummary>;
  stats(): FetcherStats;
}

const SIMULATED_PER_TICK = 3;
const HELD_CACHE_MS = 60_000;
const DAY_MS = 86_400_000;
/** How far back the stored previous close is looked for at boot (a server off for longer starts afresh). */
const CLOSE_LOOKBACK_MS = 31 * DAY_MS;

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
  let screening: ScreenedPublisher | undefined;

  let abort: AbortController | undefined;
  let database: DatabaseHandle | undefined;
  let nc: NatsConnection | undefined;
  let http: FastifyInstance | undefined;
  let scheduler: RefreshScheduler | undefined;
  let worker: RefreshWorker | undefined;
  let ticker: SimulatedTicker | undefined;
  let idle: (() => Promise<void>) | undefined;
  let lookupServer: { stop(): Promise<void> } | undefined;
  let runRefresh: ((signal: AbortSignal) => Promise<RefreshSummary>) | undefined;
  let metricsEndpoint: MetricsEndpoint | undefined;

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
    // The day's reference is the stored close before today (UTC), looked for over the last month: a
    // restart must not make the price at boot the previous close, which would reset the day's change.
    const today = Math.floor(nowMs() / DAY_MS) * DAY_MS;
    const [latest, closes, rates] = await Promise.all([
      prices.getLatestPrices(db),
      prices.getLastPricesBefore(db, { before: new Date(today), since: new Date(today - CLOSE_LOOKBACK_MS) }),
      fxRates.listFxRates(db),
    ]);
    return {
      prices: new Map(latest.map((p) => [p.instrumentId, formatDecimal(p.price, PRICE_SCALE)])),
      previousCloses: new Map([...closes].map(([id, price]) => [id, formatDecimal(price, PRICE_SCALE)])),
      rates: Object.fromEntries(rates.map((r) => [`${r.base}${r.quote}`, formatDecimal(r.rate, FX_SCALE)])),
    };
  }

  async function stop(): Promise<void> {
    abort?.abort();
    await metricsEndpoint?.close();
    scheduler?.stop();
    await lookupServer?.stop();
    await ticker?.stop();
    await http?.close();
    await worker?.done;
    await idle?.();
    await nc?.drain().catch(() => undefined);
    await database?.close();
    abort = database = nc = http = scheduler = worker = ticker = idle = runRefresh = lookupServer = undefined;
    metricsEndpoint = undefined;
  }

  return {
    async start() {
      abort = new AbortController();
      const signal = abort.signal;
      // The process's metrics: a registry per start (or the embedding server's), passed to what it measures.
      const metrics = createFetcherMetrics(deps.metrics ?? createMetricsRegistry());
      metrics.refreshPeriod.set(config.refreshPeriodSeconds);
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
          await ensureFetcherTopology(jsm, names, {
            replicas: config.streamReplicas,
            refreshPeriodSeconds: config.refreshPeriodSeconds,
          });
          publisher = createJetStreamPublisher(js, names);
        }

        const { refreshConfirms, ...guardOptions } = config.guard;
        const guard = new QuoteGuard({ ...guardOptions, now: nowMs });
        const publish = new ScreenedPublisher({
          guard,
          publisher,
          holds: createHeldPriceStore(db, now),
          seed: (instrumentIds) => seedGuardFromDatabase(db, guard, instrumentIds),
          refreshConfirms,
          log,
          onOutcome: countScreening(metrics),
        });
        screening = publish;
        const sources = measuredSources(
          deps.sources ??
            (config.priceSources === 'simulated'
              ? simulatedSourceSet(await simulatedStart(db), nowMs)
              : liveSourceSet(config.sources, nowMs)),
          metrics,
        );
        registerCircuitGauges(metrics.registry, sources.policies ?? new Map());
        const selector = new SourceSelector({
          registry: sources.registry,
          priorities: sources.priorities,
          staleAfterSeconds: { default: config.staleAfterSeconds },
          now: nowMs,
        });
        const refresher = createRefresher({
          readTargets: () => readRefreshTargets(db),
          readInstruments: (ids) => instruments.findInstrumentsByIds(db, ids),
          selector,
          fxSources: sources.registry.fxSources,
          publish,
          log,
        });
        runRefresh = async (refreshSignal) => {
          const summary = await measuredRefresh(metrics, 'full', refreshSignal, () =>
            refresher.refresh(refreshSignal),
          );
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
              streamReplicas: config.streamReplicas,
              now,
              log,
              runRefresh: (request, refreshSignal) =>
                request.type === 'refresh.instruments'
                  ? measuredRefresh(metrics, 'targeted', refreshSignal, () =>
                      refresher.refreshInstruments(request.instrumentIds, refreshSignal),
                    )
                  : run(refreshSignal),
              missed: () => metrics.refreshMissed.inc(),
            },
            signal,
          );
          const manager = jsm;
          registerConsumerGauges(
            metrics.registry,
            scrapeRead(metrics.registry, 'broker', async () => [
              await readConsumerStats(manager, names, { stream: 'refresh', consumer: REFRESH_CONSUMER.name }),
            ]),
          );
          // The symbol lookup, answered by one replica of the queue group (the server asks over NATS).
          lookupServer = serveInstrumentLookup(nc!, names, createInstrumentLookup(sources.searchers), log);
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

        if (deps.listen === false) return { url: null, metricsUrl: null };
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
          metrics: metrics.registry,
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
        if (config.metrics && !deps.metrics) {
          metricsEndpoint = await serveMetrics(metrics.registry, config.metrics, log);
        }
        return { url: `http://${config.http.host}:${port}`, metricsUrl: metricsEndpoint?.url ?? null };
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
    stats: () => ({ refreshes, lastRefresh, screening: screening?.counters ?? null }),
  };
}
