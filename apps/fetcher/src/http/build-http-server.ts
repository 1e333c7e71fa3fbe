import { isDatabaseUnavailable } from '@tickfolio/db';
import { type Logger, measureHttpRequests, type Registry, registerErrorReplies } from '@tickfolio/process';
import Fastify, { type FastifyInstance } from 'fastify';
import { RETRY_AFTER_SECONDS, registerWebhookRoute, type WebhookRouteDeps } from './webhook-route';

export interface HttpDeps {
  readonly log: Logger;
  readonly webhooks: WebhookRouteDeps;
  /** Each dependency's reachability, for /readyz. */
  readiness(): Promise<Record<string, boolean>>;
  /** Where each request's time is recorded. */
  readonly metrics?: Registry;
}

/** The fetcher's HTTP edge: signed webhook pushes, liveness and readiness. */
export async function buildHttpServer(deps: HttpDeps): Promise<FastifyInstance> {
  const app = Fastify({ loggerInstance: deps.log, bodyLimit: 1_048_576 }) as unknown as FastifyInstance;
  // No failure tells a caller what failed inside (a driver's message, a SQLSTATE): only the log does.
  registerErrorReplies(app, { isUnavailable: isDatabaseUnavailable, retryAfterSeconds: RETRY_AFTER_SECONDS });
  if (deps.metrics) measureHttpRequests(app, deps.metrics);
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_req, reply) => {
    const checks = await deps.readiness();
    const ready = Object.values(checks).every(Boolean);
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', checks });
  });
  await app.register(registerWebhookRoute, deps.webhooks);
  return app;
}
