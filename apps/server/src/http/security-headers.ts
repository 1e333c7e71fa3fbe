import type { FastifyInstance } from 'fastify';
import helmet from 'helmet';

/**
 * Helmet's security headers on every response, the default CSP allowing nothing (the desk at /app sets
 * its own). The middleware is built once: @fastify/helmet builds it anew for each request, parsing the
 * CSP each time, which was a fourteenth of all the server allocated per call (docs/BENCHMARKS.md).
 */
export function addSecurityHeaders(app: FastifyInstance): void {
  const apply = helmet({ contentSecurityPolicy: { directives: { defaultSrc: ["'none'"] } } });
  app.addHook('onRequest', (req, reply, done) => {
    apply(req.raw, reply.raw, (err?: unknown) => done(err as Error | undefined));
  });
}
