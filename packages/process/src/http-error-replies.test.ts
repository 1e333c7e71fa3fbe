import Fastify, { type FastifyRequest } from 'fastify';
import { afterEach, expect, it } from 'vitest';
import { registerErrorReplies, UNAVAILABLE_MESSAGE } from './http-error-replies';

class EngineDown extends Error {}

let app: ReturnType<typeof Fastify> | undefined;
afterEach(() => app?.close());

async function edge() {
  app = Fastify({ logger: false });
  registerErrorReplies(app, { isUnavailable: (e) => e instanceof EngineDown, retryAfterSeconds: 7 });
  app.get('/bug', async () => {
    throw Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code: '22021' });
  });
  app.get('/down', async () => {
    throw new EngineDown('connect ECONNREFUSED 127.0.0.1:5432');
  });
  app.post('/echo', async (req: FastifyRequest) => req.body);
  return app;
}

it('answers a bug with a bare 500 that carries neither the driver message nor its code', async () => {
  const res = await (await edge()).inject({ method: 'GET', url: '/bug' });
  expect(res.statusCode).toBe(500);
  expect(res.json()).toEqual({ statusCode: 500, error: 'Internal Server Error', message: 'internal error' });
  expect(res.body).not.toMatch(/22021|UTF8|0x00/);
});

it('answers a failed dependency with 503, Retry-After and a generic message', async () => {
  const res = await (await edge()).inject({ method: 'GET', url: '/down' });
  expect(res.statusCode).toBe(503);
  expect(res.headers['retry-after']).toBe('7');
  expect(res.json().message).toBe(UNAVAILABLE_MESSAGE);
  expect(res.body).not.toMatch(/ECONNREFUSED|5432/);
});

it('keeps what Fastify says of a malformed request, and a plain 404 for unknown routes', async () => {
  const api = await edge();
  const malformed = await api.inject({
    method: 'POST',
    url: '/echo',
    headers: { 'content-type': 'application/json' },
    payload: '{"broken": ',
  });
  expect(malformed.statusCode).toBe(400);
  const missing = await api.inject({ method: 'GET', url: '/nowhere' });
  expect(missing.statusCode).toBe(404);
  expect(missing.json()).toEqual({ statusCode: 404, error: 'Not Found', message: 'not found' });
});

it('answers in the shape the clients of a route read, when the rules give one, with the same status', async () => {
  app = Fastify({ logger: false });
  registerErrorReplies(app, {
    isUnavailable: (e) => e instanceof EngineDown,
    retryAfterSeconds: 7,
    bodyFor: (req, answer) => (req.url.startsWith('/rpc') ? { rpcError: answer } : undefined),
  });
  app.get('/rpc/down', async () => {
    throw new EngineDown('connect ECONNREFUSED 127.0.0.1:5432');
  });
  app.get('/down', async () => {
    throw new EngineDown('connect ECONNREFUSED 127.0.0.1:5432');
  });
  const rpc = await app.inject({ method: 'GET', url: '/rpc/down' });
  expect([rpc.statusCode, rpc.json()]).toEqual([
    503,
    { rpcError: { statusCode: 503, message: UNAVAILABLE_MESSAGE } },
  ]);
  expect((await app.inject({ method: 'GET', url: '/down' })).json().message).toBe(UNAVAILABLE_MESSAGE);
});
