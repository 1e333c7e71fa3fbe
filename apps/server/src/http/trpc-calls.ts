import type { FastifyRequest } from 'fastify';

/** Where tRPC is served: HTTP calls at `/trpc/<path>`, WebSocket connections at `/trpc` itself. */
export const TRPC_PREFIX = '/trpc';
const TRPC_ROUTE = `${TRPC_PREFIX}/:path`;

/** The methods tRPC runs calls for: it answers HEAD with 204 and runs nothing; OPTIONS is CORS's. */
const CALLING_METHODS: ReadonlySet<string> = new Set(['GET', 'POST']);

/**
 * The procedure paths an HTTP request to tRPC calls, read exactly as tRPC's Fastify adapter reads
 * them: the route's (decoded) `path` parameter, split at commas when the query's first `batch` is `1`.
 * Null for a request to any other route, or one that calls nothing. Known once the request is routed,
 * before its body is read.
 */
export function trpcCallsOf(req: FastifyRequest): readonly string[] | null {
  if (req.routeOptions.url !== TRPC_ROUTE || !CALLING_METHODS.has(req.method)) return null;
  const path = (req.params as { path?: string }).path ?? '';
  return isBatchRequest(req) ? path.split(',') : [path];
}

/** Whether tRPC reads a request as a batch, and so answers it with an array of results. */
export function isBatchRequest(req: FastifyRequest): boolean {
  const query = req.url.indexOf('?');
  return query >= 0 && new URLSearchParams(req.url.slice(query + 1)).get('batch') === '1';
}
