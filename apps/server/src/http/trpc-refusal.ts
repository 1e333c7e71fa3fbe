import { TRPC_ERROR_CODES_BY_KEY } from '@trpc/server/rpc';
import type { FastifyRequest } from 'fastify';
import { isBatchRequest, trpcCallsOf } from './trpc-calls';

type TrpcErrorCode = keyof typeof TRPC_ERROR_CODES_BY_KEY;

/** The tRPC code of each status the HTTP edge answers with before tRPC runs a call. */
const CODE_OF_STATUS: Readonly<Record<number, TrpcErrorCode>> = {
  400: 'BAD_REQUEST',
  405: 'METHOD_NOT_SUPPORTED',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'TOO_MANY_REQUESTS',
  503: 'SERVICE_UNAVAILABLE',
};

/**
 * The body of an answer the HTTP edge gives a tRPC call before tRPC runs it (a rate limit, a body too
 * large, an engine down): the error shape the router's errorFormatter gives (trpc/init.ts), one per
 * call for a batch. Without it a tRPC client cannot read the answer ("Unable to transform response from
 * server") and its caller gets an untyped error instead of, say, TOO_MANY_REQUESTS. Undefined for a
 * request to any other route.
 */
export function trpcRefusal(
  req: FastifyRequest,
  answer: { readonly statusCode: number; readonly message: string },
): unknown {
  const calls = trpcCallsOf(req);
  if (calls === null) return undefined;
  const code =
    CODE_OF_STATUS[answer.statusCode] ?? (answer.statusCode < 500 ? 'BAD_REQUEST' : 'INTERNAL_SERVER_ERROR');
  const errorOf = (path: string) => ({
    error: {
      message: answer.message,
      code: TRPC_ERROR_CODES_BY_KEY[code],
      data: { code, httpStatus: answer.statusCode, path, reason: null, issues: null },
    },
  });
  return isBatchRequest(req) ? calls.map(errorOf) : errorOf(calls[0] ?? '');
}
