import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import type { Logger } from '@tickfolio/process';
import { type CreateFastifyContextOptions, fastifyTRPCPlugin } from '@trpc/server/adapters/fastify';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import type { ServerConfig } from '../config';
import type { RateLimits } from '../ports/rate-limiter';
import type { AppRouter } from '../routers';
import type { Services } from '../services';
import type { RequestContext } from '../trpc/context';
import { registerBodyLimits } from './body-limits';
import { registerOAuthTokenRoute } from './oauth-token-route';
import { signIn } from './sign-in';
import { serveSse } from './sse-responses';
import { registerTrpcWebSocket } from './trpc-websocket';

export interface HttpDeps {
  readonly config: ServerConfig;
  readonly log: Logger;
  readonly router: AppRouter;
  readonly services: Services;
  readonly limits: RateLimits;
  /** Each dependency's reachability, for /readyz. */
  readiness(): Promise<Record<string, boolean>>;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{8,128}$/;

/** The HTTP edge: security headers, CORS, request ids, body limit, IP rate limit, health, OAuth, tRPC. */
export async function buildHttpServer(deps: HttpDeps): Promise<FastifyInstance> {
  const { config } = deps;
  const tls = config.http.tls;
  const app = Fastify({
    loggerInstance: deps.log,
    bodyLimit: Math.max(config.http.bodyLimitBytes, config.http.importBodyLimitBytes),
    genReqId: (req: { headers: Record<string, string | string[] | undefined> }) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    routerOptions: { maxParamLength: 5000 },
    // HTTP/2 over TLS lets a browser hold many live streams on one connection.
    ...(tls
      ? {
          http2: true,
          https: { allowHTTP1: true, cert: readFileSync(tls.certFile), key: readFileSync(tls.keyFile) },
        }
      : {}),
  } as Parameters<typeof Fastify>[0]) as unknown as FastifyInstance;

  await app.register(helmet, { contentSecurityPolicy: { directives: { defaultSrc: ["'none'"] } } });
  await app.register(cors, {
    origin: (origin, cb) => cb(null, origin === undefined || config.http.corsOrigins.includes(origin)),
    credentials: true,
    exposedHeaders: ['x-request-id', 'retry-after'],
  });

  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
    if (req.url === '/healthz' || req.url === '/readyz') return;
    const decision = await deps.limits.ip.consume(`ip:${req.ip}`);
    if (!decision.allowed) {
      reply.header('retry-after', String(decision.retryAfterSeconds));
      return reply
        .code(429)
        .send({ error: 'too_many_requests', retryAfterSeconds: decision.retryAfterSeconds });
    }
  });

  registerBodyLimits(app, config.http.bodyLimitBytes, config.http.importBodyLimitBytes);

  // Live subscriptions: EventSource asks for text/event-stream.
  app.addHook('onRequest', async (req, reply) => {
    if (req.headers.accept?.includes('text/event-stream')) serveSse(reply.raw, config.live.pingMs);
  });

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_req, reply) => {
    const checks = await deps.readiness();
    const ready = Object.values(checks).every(Boolean);
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', checks });
  });

  registerOAuthTokenRoute(app, deps.services.auth, deps.limits.login);

  const contextOf = (
    req: FastifyRequest,
    signedIn: Pick<RequestContext, 'principal' | 'authFailure' | 'signIn'>,
    setHeader: RequestContext['setHeader'],
  ): RequestContext => ({
    requestId: req.id,
    ip: req.ip,
    ...signedIn,
    services: deps.services,
    userRateLimit: deps.limits.user,
    loginRateLimit: deps.limits.login,
    log: req.log as Logger,
    setHeader,
  });

  await registerTrpcWebSocket(app, {
    router: deps.router,
    // Each call on the socket is signed in as it starts; a socket has no response headers to set.
    createContext: async (req, authorization) =>
      contextOf(
        req,
        { principal: null, authFailure: null, signIn: () => signIn(deps.services, authorization) },
        () => {},
      ),
    pingMs: config.live.pingMs,
    maxPayloadBytes: config.http.bodyLimitBytes,
    bufferLimitBytes: config.live.socketBufferLimitBytes,
  });

  await app.register(fastifyTRPCPlugin, {
    prefix: '/trpc',
    trpcOptions: {
      router: deps.router,
      createContext: async ({ req, res }: CreateFastifyContextOptions) =>
        contextOf(
          req,
          await signIn(deps.services, req.headers.authorization),
          (name, value) => void res.header(name, value),
        ),
    },
  });
  return app;
}
