import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import cors from '@fastify/cors';
import { type Logger, measureHttpRequests, registerErrorReplies } from '@tickfolio/process';
import Fastify, { type FastifyInstance, type FastifyRequest, LogController } from 'fastify';
import { principalKey } from '../auth/principal';
import { createSignInThrottle } from '../auth/sign-in-throttle';
import type { ServerConfig } from '../config';
import type { ProcedureObserver } from '../metrics/procedure-metrics';
import type { RateLimits } from '../ports/rate-limiter';
import type { AppRouter } from '../routers';
import type { Services } from '../services';
import { isUnavailable } from '../services/unavailable';
import { createCallPricing } from '../trpc/call-points';
import type { RequestContext } from '../trpc/context';
import { toClientError } from '../trpc/to-trpc-error';
import { refuseOtherMethods } from './allowed-methods';
import { registerBodyLimits } from './body-limits';
import { limitCloseWait } from './close-grace';
import { registerDeskApp } from './desk-app';
import { registerOAuthTokenRoute } from './oauth-token-route';
import { closeRefusedUpgrades } from './refused-upgrades';
import { logEachRequest } from './request-log';
import { addSecurityHeaders } from './security-headers';
import { signIn } from './sign-in';
import { serveSseStreams } from './sse-responses';
import { trpcCallsOf } from './trpc-calls';
import { serveTrpcOverHttp } from './trpc-http-route';
import { trpcRefusal } from './trpc-refusal';
import { registerTrpcWebSocket } from './trpc-websocket';

export interface HttpDeps {
  readonly config: ServerConfig;
  readonly log: Logger;
  readonly router: AppRouter;
  readonly services: Services;
  readonly limits: RateLimits;
  /** Each dependency's reachability, for /readyz. */
  readiness(): Promise<Record<string, boolean>>;
  /** Where requests and calls are measured (the metrics' registry and families). */
  readonly observer?: ProcedureObserver;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{8,128}$/;

/** How long requests in flight get to finish once the server closes (well inside the stop deadline). */
const CLOSE_GRACE_MS = 5000;

/** The HTTP edge: security headers, CORS, request ids, body limit, IP rate limit, health, the desk at /app, OAuth, tRPC. */
export async function buildHttpServer(deps: HttpDeps): Promise<FastifyInstance> {
  const { config } = deps;
  const tls = config.http.tls;
  const app = Fastify({
    loggerInstance: deps.log,
    // Fastify's own two lines per request (received, completed) flood the console at the default
    // level; one line per request at debug (request-log.ts) says the same. Failures are logged by the
    // error replies.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: Math.max(config.http.bodyLimitBytes, config.http.importBodyLimitBytes),
    genReqId: (req: { headers: Record<string, string | string[] | undefined> }) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    routerOptions: { maxParamLength: 5000 },
    // Off unless configured: only the named proxies' X-Forwarded-For decides req.ip, which the rate
    // limits and the sign-in throttle count against.
    trustProxy: Array.isArray(config.http.trustProxy) ? [...config.http.trustProxy] : config.http.trustProxy,
    // HTTP/2 over TLS lets a browser hold many live streams on one connection.
    ...(tls
      ? {
          http2: true,
          https: { allowHTTP1: true, cert: readFileSync(tls.certFile), key: readFileSync(tls.keyFile) },
        }
      : {}),
  } as Parameters<typeof Fastify>[0]) as unknown as FastifyInstance;

  registerErrorReplies(app, {
    isUnavailable,
    retryAfterSeconds: config.availability.retryAfterSeconds,
    bodyFor: trpcRefusal,
  });
  logEachRequest(app);
  if (deps.observer) measureHttpRequests(app, deps.observer.metrics.registry);
  addSecurityHeaders(app);
  await app.register(cors, {
    origin: (origin, cb) => cb(null, origin === undefined || config.http.corsOrigins.includes(origin)),
    credentials: true,
    exposedHeaders: ['x-request-id', 'retry-after'],
  });

  closeRefusedUpgrades(app);
  limitCloseWait(app, CLOSE_GRACE_MS);
  // Calls are counted, not requests: a batch's calls are charged here, a socket's as each starts.
  const pricing = createCallPricing({ ...config.rateLimits, maxBatchSize: config.http.maxBatchSize });
  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
    if (req.url === '/healthz' || req.url === '/readyz') return;
    const calls = trpcCallsOf(req);
    const decision = await deps.limits.ip.consume(`ip:${req.ip}`, pricing.request(calls));
    if (!decision.allowed) {
      reply.header('retry-after', String(decision.retryAfterSeconds));
      const message = `rate limit reached; retry in ${decision.retryAfterSeconds} s`;
      return reply.code(429).send(
        trpcRefusal(req, { statusCode: 429, message }) ?? {
          error: 'too_many_requests',
          retryAfterSeconds: decision.retryAfterSeconds,
        },
      );
    }
  });

  refuseOtherMethods(app);
  registerBodyLimits(app, config.http.bodyLimitBytes, config.http.importBodyLimitBytes);

  serveSseStreams(app, config.live.pingMs);

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_req, reply) => {
    const checks = await deps.readiness();
    const ready = Object.values(checks).every(Boolean);
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', checks });
  });

  // The advisors' desk (apps/desktop's renderer build), with its own CSP.
  await registerDeskApp(app, config.http.deskDir);

  const signInThrottle = createSignInThrottle(deps.limits.signIn);
  registerOAuthTokenRoute(app, deps.services.auth, signInThrottle, config.availability.retryAfterSeconds);

  const contextOf = (
    req: FastifyRequest,
    signedIn: Pick<RequestContext, 'principal' | 'session' | 'authFailure' | 'signIn'>,
    setHeader: RequestContext['setHeader'],
  ): RequestContext => {
    // The request's log lines (its own and its calls') name who made it, once that is known.
    if (signedIn.principal) req.log = req.log.child({ principalId: principalKey(signedIn.principal) });
    return {
      requestId: req.id,
      ip: req.ip,
      ...signedIn,
      services: deps.services,
      userRateLimit: deps.limits.user,
      signInThrottle,
      log: req.log as Logger,
      ...(deps.observer ? { observer: deps.observer } : {}),
      setHeader,
    };
  };

  await registerTrpcWebSocket(app, {
    router: deps.router,
    // Each call on the socket is signed in as it starts; a socket has no response headers to set.
    createContext: async (req, authorization) => ({
      ...contextOf(
        req,
        {
          principal: null,
          session: null,
          authFailure: null,
          signIn: () => signIn(deps.services, authorization),
        },
        () => {},
      ),
      chargeCall: (path) => deps.limits.ip.consume(`ip:${req.ip}`, pricing.call(path)),
    }),
    pingMs: config.live.pingMs,
    maxBatchSize: config.http.maxBatchSize,
    maxPayloadBytes: config.http.bodyLimitBytes,
    bufferLimitBytes: config.live.socketBufferLimitBytes,
  });

  await serveTrpcOverHttp(app, {
    router: deps.router,
    maxBatchSize: config.http.maxBatchSize,
    // A failed dependency (503) tells the client when to come back.
    responseMeta: ({ errors }) =>
      errors.some((e) => toClientError(e).code === 'SERVICE_UNAVAILABLE')
        ? { headers: { 'retry-after': String(config.availability.retryAfterSeconds) } }
        : {},
    createContext: async ({ req, res }) =>
      contextOf(
        req,
        await signIn(deps.services, req.headers.authorization),
        (name, value) => void res.header(name, value),
      ),
  });
  return app;
}
