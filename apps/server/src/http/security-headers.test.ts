import Fastify from 'fastify';
import helmet from 'helmet';
import { describe, expect, it } from 'vitest';
import { addSecurityHeaders } from './security-headers';

/** The headers a response got, without the ones Fastify sets itself. */
function securityHeadersOf(headers: Record<string, unknown>) {
  const { date, connection, 'content-length': _, 'content-type': __, ...rest } = headers;
  return rest;
}

describe('security headers', () => {
  it('are what helmet sets when it runs on each response', async () => {
    const once = Fastify();
    addSecurityHeaders(once);
    once.get('/', async () => ({ ok: true }));
    const perRequest = Fastify();
    const apply = helmet({ contentSecurityPolicy: { directives: { defaultSrc: ["'none'"] } } });
    perRequest.addHook('onRequest', (req, reply, done) => apply(req.raw, reply.raw, () => done()));
    perRequest.get('/', async () => ({ ok: true }));

    const a = await once.inject('/');
    const b = await perRequest.inject('/');
    expect(securityHeadersOf(a.headers)).toEqual(securityHeadersOf(b.headers));
    expect(a.headers['content-security-policy']).toContain("default-src 'none'");
    expect(a.headers['strict-transport-security']).toBeDefined();
    expect(Object.keys(securityHeadersOf(a.headers)).length).toBeGreaterThanOrEqual(10);
  });

  it('let a route set its own policy', async () => {
    const app = Fastify();
    addSecurityHeaders(app);
    app.get('/', async (_req, reply) =>
      reply.header('content-security-policy', "default-src 'self'").send('x'),
    );
    const res = await app.inject('/');
    expect(res.headers['content-security-policy']).toBe("default-src 'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });
});
