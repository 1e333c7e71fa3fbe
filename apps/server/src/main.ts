import type { PipelineBus } from '@tickfolio/bus';
import { type DatabaseHandle, migrateToLatest, openDatabase } from '@tickfolio/db';
import { DEMO_LOGINS, DEMO_PASSWORD } from '@tickfolio/db/demo';
import type { Logger } from '@tickfolio/process';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { sql } from 'kysely';
import { openPipelineBus, retryDelay } from './bus/open-pipeline-bus';
import type { ServerConfig } from './config';
import { ensureDemoData } from './demo/ensure-demo-data';
import { buildHttpServer } from './http/build-http-server';
import { useFastTextEncoderStream } from './http/fast-text-encoder-stream';
import { resolveJwtSecret } from './jwt-secret';
import { createLiveHub } from './live/live-hub';
import { createPasswordHasher } from './password-hasher';
import { createValuationStore } from './portfolio/valuation-store';
import type { Cache } from './ports/cache';
import { createMemoryCache } from './ports/memory-cache';
import { createRateLimits } from './ports/rate-limiter';
import { createRedisCache } from './ports/redis-cache';
import { appRouter } from './routers';
import { createServices } from './services';
import { type EmbeddedFeed, startEmbeddedFeed } from './valuer/embedded-feed';
import { createOwnerSync } from './valuer/owner-sync';
import { createPriceStore } from './valuer/price-store';
import { createReplicaValuations } from './valuer/replica-valuations';
import { createTotalsFlusher, type TotalsFlusher } from './valuer/totals-flusher';
import { ValuationState } from './valuer/valuation-state';
import { createValuer, type Valuer } from './valuer/valuer';

export interface ServerApp {
  /** Migrates, loads demo data on first run, listens; resolves with the base URL. */
  start(): Promise<{ readonly url: string }>;
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
  let cache: Cache | undefined;
  let http: FastifyInstance | undefined;
  let bus: PipelineBus | undefined;
  let relay: ReturnType<typeof createLiveHub> | undefined;
  let flusher: TotalsFlusher | undefined;
  let valuer: Valuer | undefined;
  let feed: EmbeddedFeed | undefined;

  async function stop(): Promise<void> {
    await feed?.stop();
    // The message in hand is finished (committed, published, acked) before the broker goes.
    await valuer?.stop();
    // What live prices moved since the last flush reaches the cache.
    await flusher?.stop();
    // Ends every live stream, so the HTTP server is not held open by subscribers.
    relay?.stop();
    await http?.close();
    await bus?.close();
    await cache?.close();
    redis?.disconnect();
    await database?.close();
    http = cache = redis = database = bus = relay = flusher = valuer = feed = undefined;
  }

  return {
    async start() {
      const embedded = config.database.kind === 'pglite';
      log.info(
        { database: config.database.kind, cache: config.redisUrl ? 'redis' : 'memory' },
        embedded
          ? `embedded mode: PGlite in ${config.database.kind === 'pglite' ? config.database.dataDir : ''}`
          : 'service mode',
      );
      try {
        database = await openDatabase(config.database);
        const db = database.db;
        const applied = await migrateToLatest(db);
        if (applied.length) log.info({ applied }, 'migrations applied');

        if (config.redisUrl) {
          redis = new Redis(config.redisUrl, {
            lazyConnect: true,
            maxRetriesPerRequest: 2,
            enableOfflineQueue: false,
          });
          await redis.connect();
          cache = createRedisCache(redis, config.redisKeyPrefix);
        } else {
          cache = createMemoryCache();
        }
        const pipelineBus = await openPipelineBus(config, log);
        bus = pipelineBus;
        const hasher = createPasswordHasher();
        if (config.demo) {
          const loaded = await ensureDemoData(db, config.demo, hasher.hash);
          if (loaded) log.info(loaded, 'demo data loaded');
        }
        const now = () => new Date();
        const serviceDeps = { db, cache, hasher, now, log, config };

        // The replica's valuation index, shared by the valuer, the ledger sync, the live relay and the
        // cache; loaded from the database below, once the relay follows PORTFOLIO.
        const state = new ValuationState();
        const valuations = createReplicaValuations({ db, state, origin: pipelineBus.portfolio.origin, log });
        const valuationStore = createValuationStore(serviceDeps, valuations);
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
        // Ledger writes move holdings: the index follows the database.
        const ownerSync = createOwnerSync({ db, state, events: pipelineBus.portfolio, now });
        const services = createServices(
          serviceDeps,
          { jwtSecret: await resolveJwtSecret(config.auth.jwtSecret, config.dataDir) },
          {
            hub: liveHub.hub,
            deadLetters: pipelineBus.deadLetters,
            valuationStore,
            ownerChanged: ownerSync.ownerChanged,
          },
        );
        const v = config.pipeline.valuer;
        const liveValuer = createValuer({
          db,
          state,
          store: createPriceStore(db),
          source: pipelineBus.prices,
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
        if (pipelineBus.publisher && config.pipeline.simulatedTickMs > 0) {
          feed = await startEmbeddedFeed({
            db,
            publisher: pipelineBus.publisher,
            tickMs: config.pipeline.simulatedTickMs,
            log,
          });
        }

        const limits = createRateLimits(config.rateLimits, redis ?? null, config.redisKeyPrefix);
        const liveCache = cache;
        http = await buildHttpServer({
          config,
          log,
          router: appRouter,
          services,
          limits,
          async readiness() {
            const check = (p: Promise<unknown>) =>
              p.then(
                () => true,
                () => false,
              );
            return {
              database: await check(sql`select 1`.execute(db)),
              cache: await check(liveCache.ping()),
              ...(config.natsUrl ? { broker: await check(pipelineBus.ping()) } : {}),
            };
          },
        });
        await http.listen({ host: config.http.host, port: config.http.port });
        const address = http.server.address();
        const port = typeof address === 'object' && address ? address.port : config.http.port;
        const url =
          config.http.publicUrl ?? `${config.http.tls ? 'https' : 'http'}://${config.http.host}:${port}`;
        log.info({ url }, `listening on ${url}`);
        if (config.demo) {
          log.info(
            { password: DEMO_PASSWORD, ...DEMO_LOGINS },
            `demo logins (password "${DEMO_PASSWORD}"): ${DEMO_LOGINS.investor}, ${DEMO_LOGINS.advisor}, ${DEMO_LOGINS.admin}`,
          );
        }
        return { url };
      } catch (error) {
        await stop();
        throw error;
      }
    },
    stop,
  };
}
