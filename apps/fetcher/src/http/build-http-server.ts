import type { Logger } from '@tickfolio/process';
import Fastify, { type FastifyInstance } from 'fastify';
import { registerWebhookRoute, type WebhookRouteDeps } from './webhook-route';

export interface HttpDeps {
  readonly log: Logger;
  readonly webhooks: WebhookRouteDeps;
  /** Each dependency's reachability, for /readyz. */
  readiness(): Promise<Record<string, boolean>>;
}

/** The fetcher's HTTP edge: signed webhook pushes, liveness and readiness. */
export async function buildHttpServer(deps: HttpDeps): Promise<FastifyInstance> {
  const app = Fastify({ loggerInstance: deps.log, bodyLimit: 1_048_576 }) as unknown as FastifyInstance;
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_req, reply) => {
    const checks = await deps.readiness();
    const ready = Object.values(checks).every(Boolean);
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', checks });
  });
  await app.register(registerWebhookRoute, deps.webhooks);
  return app;
}
