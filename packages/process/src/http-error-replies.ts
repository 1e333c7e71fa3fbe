import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';

/** What a client is told when a dependency failed: nothing of which one, nor of how. */
export const UNAVAILABLE_MESSAGE = 'the service is temporarily unavailable; retry shortly';

export interface ErrorReplyRules {
  /** Whether an error means a dependency could not serve now (a 503), not a bug (a 500). */
  isUnavailable(error: unknown): boolean;
  /** What a 503 says in Retry-After. */
  readonly retryAfterSeconds: number;
  /**
   * The body for a request whose clients read another error shape (the server's tRPC routes), or
   * undefined for the plain one below. The status and message are the ones the plain body carries.
   */
  bodyFor?(req: FastifyRequest, answer: { readonly statusCode: number; readonly message: string }): unknown;
}

/**
 * What a process's HTTP edge answers when a route or hook throws (tRPC formats its own errors): a failed
 * dependency is a 503 with Retry-After; an error Fastify raised about the request itself (a malformed or
 * oversized body) keeps its 4xx status and message, which describe the request; anything else is a 500
 * that says nothing of what failed (no driver message, SQLSTATE or stack: those are for the log).
 * Unknown routes get a plain 404. Shared by the server and the fetcher, so neither leaks more than the other.
 */
export function registerErrorReplies(app: FastifyInstance, rules: ErrorReplyRules): void {
  const send = (
    req: FastifyRequest,
    statusCode: number,
    plain: { readonly message: string; readonly [key: string]: unknown },
  ) => rules.bodyFor?.(req, { statusCode, message: plain.message }) ?? plain;
  app.setErrorHandler((error: FastifyError, req, reply) => {
    if (rules.isUnavailable(error)) {
      req.log.warn({ err: error }, 'dependency unavailable');
      return reply
        .code(503)
        .header('retry-after', String(rules.retryAfterSeconds))
        .send(
          send(req, 503, { statusCode: 503, error: 'Service Unavailable', message: UNAVAILABLE_MESSAGE }),
        );
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      return reply.code(status).send(
        send(req, status, {
          statusCode: status,
          code: error.code,
          error: STATUS_CODES[status],
          message: error.message,
        }),
      );
    }
    req.log.error({ err: error }, 'request failed');
    return reply
      .code(500)
      .send(send(req, 500, { statusCode: 500, error: 'Internal Server Error', message: 'internal error' }));
  });
  app.setNotFoundHandler((_req, reply) =>
    reply.code(404).send({ statusCode: 404, error: 'Not Found', message: 'not found' }),
  );
}
