import type { FastifyInstance } from 'fastify';
import { Histogram, type Registry } from 'prom-client';

/** Latency buckets of requests answered by an HTTP edge, in seconds: 5 ms to 10 s. */
export const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * `tickfolio_http_request_duration_seconds{method, route, status_code}` for every answered request.
 * The route is the matched route's pattern (`/trpc/:path`, `/webhooks/:source`), never the URL, so the
 * labels stay few whatever clients send; requests no route matched share `unmatched`.
 */
export function measureHttpRequests(app: FastifyInstance, registry: Registry): void {
  const duration = new Histogram({
    name: 'tickfolio_http_request_duration_seconds',
    help: 'Time from receiving an HTTP request to sending its answer, by method, route pattern and status.',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: HTTP_BUCKETS,
    registers: [registry],
  });
  app.addHook('onResponse', async (req, reply) => {
    duration.observe(
      {
        method: req.method,
        route: req.routeOptions.url ?? 'unmatched',
        status_code: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
  });
}
