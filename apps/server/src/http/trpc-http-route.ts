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

/** A request's headers as fetch Headers (HTTP/2's pseudo-headers left out, as tRPC's adapter does). */
function fetchHeadersOf(incoming: IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const key in incoming) {
    if (key.startsWith(':')) continue;
    const value = incoming[key];
    if (Array.isArray(value)) for (const item of value) headers.append(key, item);
    else if (value !== undefined) headers.append(key, value);
  }
  return headers;
}

/**
 * The fetch Request tRPC resolves. A live stream (SSE) gets tRPC's own conversion, whose signal aborts
 * the subscription when the client leaves, and so does a body still to be read (a stream). Every other
 * call, a query or mutation whose JSON body Fastify has read, gets a Request without a signal: none of
 * those procedures reads it, and a Request made with one registers it in undici's finalization
 * registry, which the young-generation collector keeps alive until a full collection — most of what the
 * server promoted per call (docs/BENCHMARKS.md).
 */
function fetchRequestOf(req: FastifyRequest, reply: FastifyReply): Request {
  const body = req.body;
  if (asksForEventStream(req) || (body !== undefined && typeof body !== 'string')) {
    const incoming = req.raw as typeof req.raw & { body?: unknown };
    if (body !== undefined) incoming.body = body;
    return incomingMessageToRequest(incoming, reply.raw, { maxBodySize: null });
  }
  const init: RequestInit = { method: req.method, headers: fetchHeadersOf(req.headers) };
  if (typeof body === 'string' && req.method !== 'GET' && req.method !== 'HEAD') init.body = body;
  return new Request(createURL(req.raw), init);
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
