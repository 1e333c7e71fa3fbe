import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FxTable } from '@tickfolio/core';
import { type DatabaseHandle, openDatabase } from '@tickfolio/db';
import { DEMO_PASSWORD } from '@tickfolio/db/demo';
import type { ScratchDatabase } from '@tickfolio/testing';
import { TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import pino from 'pino';
import { createSignInThrottle } from '../../src/auth/sign-in-throttle';
import { openPipelineBus } from '../../src/bus/open-pipeline-bus';
import { loadConfig, type ServerConfig } from '../../src/config';
import { buildHttpServer } from '../../src/http/build-http-server';
import { signIn } from '../../src/http/sign-in';
import { resolveJwtSecret } from '../../src/jwt-secret';
import type { LiveHub } from '../../src/live/live-hub';
import { createPasswordHasher } from '../../src/password-hasher';
import { createValuationStore, type IndexTotals } from '../../src/portfolio/valuation-store';
import { createInstrumentLookup } from '../../src/ports/instrument-lookup';
import { createMemoryCache } from '../../src/ports/memory-cache';
import { createRateLimits } from '../../src/ports/rate-limiter';
import { appRouter } from '../../src/routers';
import { createServices } from '../../src/services';
import type { FxRates } from '../../src/services/view-currency';
import type { RequestContext } from '../../src/trpc/context';
import { createCallerFactory } from '../../src/trpc/init';
import type { RawResult } from './raw-call';
import { testServerDatabase, testServerEnv } from './test-server';

const createCaller = createCallerFactory(appRouter);

/** Live streams are not served by this API: a test that reaches the relay is a test of the wrong kind. */
function refuse(): never {
  throw new Error('the in-process test API serves no live streams; use startTestServer');
}
const noLiveRelay: LiveHub = {
  subscribe: refuse,
  watch: refuse,
  derive: refuse,
  read: refuse,
  closed: new AbortController().signal,
};

/** No valuation index: every valuation is computed from the database. */
const noIndex: IndexTotals = {
  totals: () => undefined,
  newestPrice: () => undefined,
  holdingsDigest: () => undefined,
};

/** No valuation index, no rates: an advisor's book converts only clients already in the view currency. */
const noRates: FxRates = { fx: () => new FxTable() };

export interface TestApi {
  readonly url: string;
  readonly config: ServerConfig;
  /**
   * Calls one procedure by path in-process, through tRPC's createCaller, as the HTTP edge would for a
   * request bearing `token`: the input as it arrives over the wire (JSON), the answer as the HTTP
   * status and tRPC error code it would have.
   */
  call(token: string | null, path: string, input: unknown): Promise<RawResult>;
  /** Signs in (in-process) and returns the access token. */
  login(email: string, password?: string): Promise<string>;
  stop(): Promise<void>;
}

/**
 * The API without the price pipeline, for what the engine adds nothing to (authorization, input
 * validation): the app router over the services, on a scratch PostgreSQL database with the demo data and
 * the in-memory stand-ins for cache, rate limits and bus. Calls go in-process (`call`); the same services
 * also sit behind the real HTTP edge at `url`, for the few checks that the edge answers alike.
 */
export async function startTestApi(env: Record<string, string> = {}): Promise<TestApi> {
  const scratch = await testServerDatabase(env);
  const dataDir = await mkdtemp(join(tmpdir(), 'tickfolio-api-test-'));
  const { REDIS_URL: _cacheInMemory, ...settings } = testServerEnv(scratch.url, dataDir);
  const config = loadConfig({ ...settings, ...env });
  const log = pino({ level: 'silent' });
  const parts: Parts = { scratch, dataDir };
  try {
    parts.database = await openDatabase({ kind: 'postgres', url: scratch.url, max: 4 });
    const db = parts.database.db;
    const bus = await openPipelineBus(config, log);
    parts.bus = bus;
    const serviceDeps = {
      db,
      cache: createMemoryCache(),
      hasher: createPasswordHasher(),
      now: () => new Date(),
      log,
      config,
    };
    const services = createServices(
      serviceDeps,
      { jwtSecret: await resolveJwtSecret(config.auth.jwtSecret, config.dataDir) },
      {
        hub: noLiveRelay,
        deadLetters: bus.deadLetters,
        publisher: bus.publisher,
        valuationStore: createValuationStore(serviceDeps, noIndex),
        lookup: createInstrumentLookup({
          catalogue: bus.catalogue,
          reach: bus.kind === 'jetstream' ? 'sources' : 'local-only',
          timeoutMs: config.catalogue.lookupTimeoutMs,
          now: () => new Date(),
          log,
        }),
        ownerChanged: async () => {},
        rates: noRates,
        revocations: bus.sessions,
      },
    );
    const limits = createRateLimits(config.rateLimits, null);
    parts.http = await buildHttpServer({
      config,
      log,
      router: appRouter,
      services,
      limits,
      readiness: async () => ({ database: await sql`select 1`.execute(db).then(() => true) }),
    });
    await parts.http.listen({ host: '127.0.0.1', port: 0 });
    const address = parts.http.server.address();
    const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

    const contextFor = async (token: string | null): Promise<RequestContext> => ({
      requestId: randomUUID(),
      ip: '127.0.0.1',
      ...(await signIn(services, token ? `Bearer ${token}` : undefined)),
      services,
      userRateLimit: limits.user,
      signInThrottle: createSignInThrottle(limits.signIn),
      log,
      setHeader: () => {},
    });
    const caller = async (token: string | null) => createCaller(await contextFor(token));
    return {
      url,
      config,
      call: async (token, path, input) => answer(await caller(token), path, input),
      async login(email, password = DEMO_PASSWORD) {
        return (await (await caller(null)).auth.login({ email, password })).accessToken;
      },
      stop: () => stopParts(parts),
    };
  } catch (error) {
    await stopParts(parts);
    throw error;
  }
}

interface Parts {
  readonly scratch: ScratchDatabase;
  readonly dataDir: string;
  database?: DatabaseHandle;
  bus?: { close(): Promise<void> };
  http?: FastifyInstance;
}

async function stopParts(parts: Parts): Promise<void> {
  await parts.http?.close();
  await parts.bus?.close();
  await parts.database?.close();
  await parts.scratch.drop();
  await rm(parts.dataDir, { recursive: true, force: true });
}

/** What `path` answers `input` through the caller, as the status and code the HTTP edge would send. */
async function answer(
  caller: ReturnType<typeof createCaller>,
  path: string,
  input: unknown,
): Promise<RawResult> {
  const procedure = path
    .split('.')
    .reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller) as (
    input: unknown,
  ) => Promise<unknown>;
  try {
    return { status: 200, code: null, body: await procedure(overTheWire(input)) };
  } catch (error) {
    if (!(error instanceof TRPCError)) throw error;
    return { status: getHTTPStatusCodeFromError(error), code: error.code, body: error };
  }
}

/** The input as the server receives it over HTTP: JSON text parsed (no undefined, NaN or -0 survives). */
function overTheWire(input: unknown): unknown {
  const text = JSON.stringify(input);
  return text === undefined ? undefined : JSON.parse(text);
}
