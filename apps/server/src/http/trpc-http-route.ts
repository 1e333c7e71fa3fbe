import type { IncomingHttpHeaders } from 'node:http';
import type { AnyTRPCRouter } from '@trpc/server';
import type { CreateFastifyContextOptions } from '@trpc/server/adapters/fastify';
import { createURL, incomingMessageToRequest } from '@trpc/server/adapters/node-http';
import { type ResponseMetaFn, resolveResponse } from '@trpc/server/http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { asksForEventStream } from './sse-responses';
import { TRPC_PREFIX } from './trpc-calls';

export interface TrpcHttpOptions<TRouter extends AnyTRPCRouter> {
  readonly router: TRouter;
  readonly createContext: (opts: CreateFastifyContextOptions) => Promise<unknown>;
  readonly maxBatchSize: number;
  readonly responseMeta: ResponseMetaFn<TRouter>;
}

/**
 * A signal that never aborts, shared by every query and mutation: nothing cancels them but their
 * request, whose body Fastify has already read. Listeners on a signal that never fires would never be
 * called, so registering one is a no-op here and sharing it keeps nothing per call.
 */
const NEVER_ABORTED: AbortSignal = (() => {
  const signal = new AbortController().signal;
  const ignore = () => {};
  Object.defineProperties(signal, {
    addEventListener: { value: ignore },
    removeEventListener: { value: ignore },
  });
  return signal;
})();

/** A request's headers as tRPC reads them (`get`, `has`), straight from Node's parsed headers. */
function plainHeadersOf(incoming: IncomingHttpHeaders): Pick<Headers, 'get' | 'has'> {
  const value = (name: string) => {
    const v = incoming[name.toLowerCase()];
    return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v;
  };
  return { get: value, has: (name) => value(name) !== null };
}

/**
 * The Request tRPC resolves. A live stream (SSE) gets tRPC's own conversion, whose signal aborts the
 * subscription when the client leaves, and so does a body still to be read (a stream: multipart). Every
 * other call, a query or a mutation whose JSON body Fastify has read, gets a plain object with what
 * tRPC's resolveResponse reads of it (method, URL, headers, body text, a signal that never aborts), not
 * an undici Request: that one made an AbortSignal per call, which Node 20 makes slowly and its
 * young-generation collector keeps until a full collection (docs/BENCHMARKS.md).
 */
function fetchRequestOf(req: FastifyRequest, reply: FastifyReply): Request {
  const body = req.body;
  if (asksForEventStream(req) || (body !== undefined && typeof body !== 'string')) {
    const incoming = req.raw as typeof req.raw & { body?: unknown };
    if (body !== undefined) incoming.body = body;
    return incomingMessageToRequest(incoming, reply.raw, { maxBodySize: null });
  }
  const text = typeof body === 'string' && req.method !== 'GET' && req.method !== 'HEAD' ? body : '';
  const plain = {
    method: req.method,
    url: createURL(req.raw).href,
    headers: plainHeadersOf(req.headers),
    signal: NEVER_ABORTED,
    text: async () => text,
  };
  return plain as unknown as Request;
}

/** Sends tRPC's answer: a JSON one as bytes, a stream (SSE, a streamed batch) through Fastify's piping. */
async function sendResponse(reply: FastifyReply, response: Response): Promise<void> {
  if (!response.headers.get('content-type')?.startsWith('application/json')) {
    await reply.send(response);
    return;
  }
  reply.code(response.status);
  for (const [name, value] of response.headers) reply.header(name, value);
  await reply.send(Buffer.from(await response.arrayBuffer()));
}

/**
 * tRPC over HTTP at /trpc/<path>, as @trpc/server's Fastify plugin serves it (the same body parsers,
 * resolveResponse, the same answers), without that plugin's per-call costs: a signal on every
 * Request (above), and a web stream piped into the socket for every small JSON answer.
 */
export async function serveTrpcOverHttp<TRouter extends AnyTRPCRouter>(
  app: FastifyInstance,
  options: TrpcHttpOptions<TRouter>,
): Promise<void> {
  await app.register(
    async (scope) => {
      // tRPC reads bodies itself: JSON as the text it came as, multipart as the raw stream.
      scope.removeContentTypeParser('application/json');
      scope.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) =>
        done(null, body),
      );
      scope.removeContentTypeParser('multipart/form-data');
      scope.addContentTypeParser('multipart/form-data', {}, (_req, body, done) => done(null, body));
      scope.all('/:path', async (req, reply) => {
        const response = await resolveResponse({
          router: options.router,
          req: fetchRequestOf(req, reply),
          path: (req.params as { path: string }).path,
          error: null,
          maxBatchSize: options.maxBatchSize,
          responseMeta: options.responseMeta,
          createContext: ({ info }) => options.createContext({ req, res: reply, info }) as never,
        });
        await sendResponse(reply, response);
      });
    },
    { prefix: TRPC_PREFIX },
  );
}
