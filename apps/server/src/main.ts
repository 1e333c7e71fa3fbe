import type { PipelineBus } from '@tickfolio/bus';
import { type DatabaseHandle, openDatabase } from '@tickfolio/db';
import { createMetricsRegistry, type Logger, type MetricsEndpoint, serveMetrics } from '@tickfolio/process';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { sql } from 'kysely';
import { openPipelineBus, retryDelay } from './bus/open-pipeline-bus';
import type { ServerConfig } from './config';
import { buildHttpServer } from './http/build-http-server';
import { useFastTextEncoderStream } from './http/fast-text-encoder-stream';
import { resolveJwtSecret } from './jwt-secret';
import { createLiveHub } from './live/live-hub';
import { readFreshness } from './metrics/freshness';
import { countedCache, countedRateLimits } from './metrics/instrumented-ports';
import { createTickTimes, observedPriceSource, observedPriceStore } from './metrics/pipeline-metrics';
import { registerScrapeCollectors } from './metrics/scrape-collectors';
import { createServerMetrics } from './metrics/server-metrics';
import { composeNotifier } from './notifier/compose-notifier';
import type { Notifier } from './notifier/notifier';
import { createPasswordHasher } from './password-hasher';
import { createValuationStore } from './portfolio/valuation-store';
import type { Cache } from './ports/cache';
import { createInstrumentLookup } from './ports/instrument-lookup';
import { createMemoryCache } from './ports/memory-cache';
import { createRateLimits } from './ports/rate-limiter';
import { createRedisCache } from './ports/redis-cache';
import { openRedisConnection, type RedisConnection } from './ports/redis-connection';
import { prepareDatabase } from './prepare-database';
import { createReadiness } from './readiness';
import { appRouter } from './routers';
import { createServices } from './services';
import { type EmbeddedFeed, startEmbeddedFeed } from './valuer/embedded-feed';
import { createOwnerSync, type OwnerSync } from './valuer/owner-sync';
import { createPriceStore } from './valuer/price-store';
import { createReplicaValuations } from './valuer/replica-valuations';
import { createTotalsFlusher, type TotalsFlusher } from './valuer/totals-flusher';
import { ValuationState } from './valuer/valuation-state';
import { createValuer, type Valuer } from './valuer/valuer';

export interface ServerApp {
  /**
   * Migrates, loads demo data on first run, listens; resolves with the base URL and where /metrics is
   * served (null when METRICS_PORT is off).
   */
  start(): Promise<{ readonly url: string; readonly metricsUrl: string | null }>;
  stop(): Promise<void>;
}

/**
 * Composition root of the server process: builds every part from the parsed config. Unset service
 * URLs select the embedded stand-ins (PGlite, in-memory cache and rate limits), behind the same ports.
 */
export function createServerApp(config: ServerConfig, log: Logger): ServerApp {
  // Process-wide: tRPC's SSE responses encode every event through the global TextEncoderStream.
  useFastTextEncoderStream();
  let database: DatabaseHandle | undefined;
  let redis: Redis | undefined;
  let redisConnection: RedisConnection | undefined;
  let cache: Cache | undefined;
  let http: FastifyInstance | undefined;
  let bus: PipelineBus | undefined;
  let relay: ReturnType<typeof createLiveHub> | undefined;
  let flusher: TotalsFlusher | undefined;
  let valuer: Valuer | undefined;
  let feed: EmbeddedFeed | undefined;
  let sync: OwnerSync | undefined;
  /** What sweeps remembered rows (users' standing, ledger versions) on a timer. */
  const sweeps: { stop(): void }[] = [];
  let notifier: Notifier | undefined;
  let metricsEndpoint: MetricsEndpoint | undefined;

  async function stop(): Promise<void> {
    await metricsEndpoint?.close();
    await feed?.stop();
    // The message in hand is finished (committed, published, acked) before the broker goes.
    await valuer?.stop();
    // The batch of events in hand is evaluated and settled; webhook sends under way are left to the sweep.
    await notifier?.stop();
    // Holding events still being sent again are given up: the broker is about to go.
    await sync?.stop();
    // What live prices moved since the last flush reaches the cache.
    await flusher?.stop();
    // Closing the HTTP server cuts the live connections off (SSE) or closes them (WebSocket), so the
    // subscribers' clients reconnect and resume, on this server's successor; then the streams end.
    await http?.close();
    relay?.stop();
    for (const sweep of sweeps.splice(0)) sweep.stop();
    await bus?.close();
    await cache?.close();
    redisConnection?.close();
    await database?.close();
    http =
      cache =
      redis =
      redisConnection =
      database =
      bus =
      relay =
      flusher =
      valuer =
      feed =
      sync =
      notifier =
      metricsEndpoint =
        undefined;
  }

  return {
    async start(signal?: AbortSignal) {
      const embedded = config.database.kind === 'pglite';
      log.info(
        { database: config.database.kind, cache: config.redisUrl ? 'redis' : 'memory' },
        embedded
          ? `embedded mode: PGlite in ${config.database.kind === 'pglite' ? config.database.dataDir : ''}`
          : 'service mode',
      );
      // The process's metrics: one registry per start, built here and passed to the parts it measures.
      const metrics = createServerMetrics(createMetricsRegistry());
      try {
        database = await openDatabase(
          config.database.kind === 'postgres'
            ? { ...config.database, onPoolError: (err) => log.warn({ err }, 'database connection lost') }
            : config.database,
        );
        const db = database.db;
        const hasher = createPasswordHasher();
        await prepareDatabase(config, database, hasher, log, signal);

        if (config.redisUrl) {
          redisConnection = await openRedisConnection(config.redisUrl, config.redisTimeouts, log);
          redis = redisConnection.redis;
          cache = countedCache(createRedisCache(redis, config.redisKeyPrefix), metrics);
        } else {
          cache = countedCache(createMemoryCache(), metrics);
        }
        const pipelineBus = await openPipelineBus(config, log);
        bus = pipelineBus;
        const now = () => new Date();
        const serviceDeps = { db, cache, hasher, now, log, config };

        // The replica's valuation index, shared by the valuer, the ledger sync, the live relay and the
        // cache; loaded from the database below, once the relay follows PORTFOLIO.
        const state = new ValuationState();
        const valuations = createReplicaValuations({
          db,
          state,
          origin: pipelineBus.portfolio.origin,
          log,
          // Events arrive once the relay follows PORTFOLIO, after the store below exists.
          ledgerChanged: (ownerId) => valuationStore.ledgerChanged(ownerId),
        });
        const valuationStore = createValuationStore(serviceDeps, valuations);
        valuationStore.start();
        sweeps.push(valuationStore);
        const totalsFlusher = createTotalsFlusher({
          intervalMs: config.pipeline.totalsFlushMs,
          totalsOf: (ownerId) => valuations.totals(ownerId, true),
          ownersHolding: valuations.ownersHolding,
          patchMany: valuationStore.patchTotalsMany,
          log,
        });
        flusher = totalsFlusher;
        // The relay moves this replica's index by what other replicas valued, then derives its
        // subscribers' totals from it.
        const liveHub = createLiveHub(pipelineBus.portfolio, valuations, log);
        relay = liveHub;
        const ticks = createTickTimes(liveHub.hub);
        // Ledger writes move holdings: the index follows the database.
        const ownerSync = createOwnerSync({ db, state, events: pipelineBus.portfolio, now, log });
        sync = ownerSync;
        const services = createServices(
          serviceDeps,
          { jwtSecret: await resolveJwtSecret(config.auth.jwtSecret, config.dataDir) },
          {
            hub: liveHub.hub,
            deadLetters: pipelineBus.deadLetters,
            publisher: pipelineBus.publisher,
            valuationStore,
            lookup: createInstrumentLookup({
              catalogue: pipelineBus.catalogue,
              // The in-process bus has no fetcher to ask: embedded mode looks up its own catalogue only.
              reach: pipelineBus.kind === 'jetstream' ? 'sources' : 'local-only',
              timeoutMs: config.catalogue.lookupTimeoutMs,
              now,
              log,
            }),
            ownerChanged: ownerSync.ownerChanged,
            rates: valuations,
            revocations: pipelineBus.sessions,
            rulesChanged: () => notifier?.rulesChanged(),
          },
        );
        // The users behind calls are remembered and swept, not read per call.
        services.standings.start();
        sweeps.push(services.standings);
        const v = config.pipeline.valuer;
        const liveValuer = createValuer({
          db,
          state,
          store: observedPriceStore(createPriceStore(db), metrics),
          source: observedPriceSource(pipelineBus.prices, metrics),
          events: pipelineBus.portfolio,
          deadLetters: pipelineBus.deadLetters,
          moved: totalsFlusher,
          retryDelayMs: retryDelay(v.backoffMs, v.ackWaitMs),
          log,
        });
        valuer = liveValuer;

        // Following first, then loading: an event published meanwhile is in what the load reads (its
        // write committed before it was published) or delivered after it (applied in a later turn).
        await liveHub.start();
        await state.load(db);
        totalsFlusher.start();
        liveValuer.start();
        if (config.notifications.notifier === 'inline') {
          notifier = composeNotifier({
            db,
            bus: pipelineBus,
            state,
            valuations,
            hub: liveHub.hub,
            config,
            now,
            log,
          });
          await notifier.start();
        }
        if (pipelineBus.kind === 'in-process' && config.pipeline.simulatedTickMs > 0) {
          feed = await startEmbeddedFeed({
            db,
            publisher: pipelineBus.publisher,
            tickMs: config.pipeline.simulatedTickMs,
            log,
            metrics: metrics.registry,
          });
        }

        const limits = countedRateLimits(
          createRateLimits(config.rateLimits, redis ?? null, config.redisKeyPrefix),
          metrics,
        );
        registerScrapeCollectors(metrics.registry, {
          freshness: () => readFreshness(db),
          broker: () => pipelineBus.stats(),
          now,
        });
        const liveCache = cache;
        http = await buildHttpServer({
          config,
          log,
          router: appRouter,
          services,
          limits,
          observer: { metrics, ticks },
          readiness: createReadiness(config.availability.readinessTimeoutMs, {
            database: () => sql`select 1`.execute(db),
            cache: () => liveCache.ping(),
            ...(config.natsUrl ? { broker: () => pipelineBus.ping() } : {}),
          }),
        });
        await http.listen({ host: config.http.host, port: config.http.port });
        const address = http.server.address();
        const port = typeof address === 'object' && address ? address.port : config.http.port;
        const url =
          config.http.publicUrl ?? `${config.http.tls ? 'https' : 'http'}://${config.http.host}:${port}`;
        log.info({ url }, `listening on ${url}`);
        if (config.metrics) {
          metricsEndpoint = await serveMetrics(metrics.registry, config.metrics, log);
          log.info({ metricsUrl: metricsEndpoint.url }, `metrics on ${metricsEndpoint.url}`);
        }
        return { url, metricsUrl: metricsEndpoint?.url ?? null };
      } catch (error) {
        await stop();
        throw error;
      }
    },
    stop,
  };
}
