import type { PipelineBus } from '@tickfolio/bus';
import { type DatabaseHandle, migrateToLatest, openDatabase } from '@tickfolio/db';
import { DEMO_LOGINS, DEMO_PASSWORD } from '@tickfolio/db/demo';
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
import type { Logger } from './logger';
import { createPasswordHasher } from './password-hasher';
import type { Cache } from './ports/cache';
import { createMemoryCache } from './ports/memory-cache';
import { createRateLimiter } from './ports/rate-limiter';
import { createRedisCache } from './ports/redis-cache';
import { appRouter } from './routers';
import { createServices } from './services';
import { type EmbeddedFeed, startEmbeddedFeed } from './valuer/embedded-feed';
import { createPriceStore } from './valuer/price-store';
import { createValuer, type Valuer } from './valuer/valuer';

export interface ServerApp {
  /** Migrates, loads demo data on first run, listens; resolves with the base URL. */
  start(): Promise<string>;
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
  let valuer: Valuer | undefined;
  let feed: EmbeddedFeed | undefined;

  async function stop(): Promise<void> {
    await feed?.stop();
    // The message in hand is finished (committed, published, acked) before the broker goes.
    await valuer?.stop();
    // Ends every live stream, so the HTTP server is not held open by subscribers.
    relay?.stop();
    await http?.close();
    await bus?.close();
    await cache?.close();
    redis?.disconnect();
    await database?.close();
    http = cache = redis = database = bus = relay = valuer = feed = undefined;
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
        relay = createLiveHub(pipelineBus.portfolio, log);
        const hasher = createPasswordHasher();
        const services = createServices(
          { db, cache, hasher, now: () => new Date(), log, config },
          { jwtSecret: await resolveJwtSecret(config.auth.jwtSecret, config.dataDir) },
          { hub: relay.hub, deadLetters: pipelineBus.deadLetters },
        );
        if (config.demo) {
          const loaded = await ensureDemoData(db, config.demo, hasher.hash);
          if (loaded) log.info(loaded, 'demo data loaded');
        }

        const v = config.pipeline.valuer;
        const liveValuer = createValuer({
          db,
          store: createPriceStore(db),
          source: pipelineBus.prices,
          events: pipelineBus.portfolio,
          deadLetters: pipelineBus.deadLetters,
          patchTotals: services.portfolio.patchTotals,
          patchTotalsMany: services.portfolio.patchTotalsMany,
          totalsFlushMs: config.pipeline.totalsFlushMs,
          retryDelayMs: retryDelay(v.backoffMs, v.ackWaitMs),
          log,
        });
        valuer = liveValuer;
        services.portfolio.useLiveTotals(liveValuer.liveTotals);
        // Ledger writes move holdings: the index follows the database.
        services.portfolio.onRefresh((ownerId) => liveValuer.ownerChanged(ownerId));
        // The relay moves this replica's index by what other replicas valued, then derives its
        // subscribers' totals from it.
        await relay.start(liveValuer.valuations);
        await liveValuer.start();
        if (pipelineBus.publisher && config.pipeline.simulatedTickMs > 0) {
          feed = await startEmbeddedFeed({
            db,
            publisher: pipelineBus.publisher,
            tickMs: config.pipeline.simulatedTickMs,
            log,
          });
        }

        const prefix = config.redisKeyPrefix;
        const limits = {
          ip: createRateLimiter(
            { name: 'ip', points: config.rateLimits.ipPerMinute, durationSeconds: 60 },
            redis ?? null,
            prefix,
          ),
          user: createRateLimiter(
            { name: 'user', points: config.rateLimits.userPerMinute, durationSeconds: 60 },
            redis ?? null,
            prefix,
          ),
          login: createRateLimiter(
            { name: 'login', points: config.rateLimits.loginPer15Minutes, durationSeconds: 900 },
            redis ?? null,
            prefix,
          ),
        };
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
        return url;
      } catch (error) {
        await stop();
        throw error;
      }
    },
    stop,
  };
}
