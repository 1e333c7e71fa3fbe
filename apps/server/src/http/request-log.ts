import type { FastifyInstance } from 'fastify';

/**
 * One line per answered request, at debug: method, route (the path without its query, which may carry a
 * tRPC call's input), status and time taken. Failures are logged where they are handled, at warn or
 * error, whatever the level.
 */
export function logEachRequest(app: FastifyInstance): void {
  app.addHook('onResponse', async (req, reply) => {
    const path = req.url.split('?', 1)[0];
    req.log.debug(
      { method: req.method, path, statusCode: reply.statusCode, ms: Math.round(reply.elapsedTime) },
      'request',
    );
  });
}
