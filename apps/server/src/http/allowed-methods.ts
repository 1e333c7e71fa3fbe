import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyInstance } from 'fastify';

/** The methods this server serves: reads, tRPC and OAuth posts, CORS preflights. */
const ALLOWED_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'POST', 'OPTIONS']);
const ALLOW = [...ALLOWED_METHODS].join(', ');

/**
 * Answers every other method with 405 and an Allow header before it reaches a route. tRPC's Fastify
 * adapter serves /trpc/* for every method Fastify knows and builds a fetch Request from the request,
 * which throws for TRACE: a 500 carrying the TypeError's message. CONNECT never reaches Fastify: Node
 * hands it to 'connect' listeners, or, with none, destroys the socket unanswered; it gets the same 405
 * here, and its socket is closed once that is written. Methods Node's parser does not know (TRACK,
 * made-up ones) Node refuses itself, with 400.
 */
export function refuseOtherMethods(app: FastifyInstance): void {
  app.addHook('onRequest', async (req, reply) => {
    if (ALLOWED_METHODS.has(req.method)) return;
    reply.header('allow', ALLOW);
    return reply.code(405).send({ error: 'method_not_allowed' });
  });
  app.server.on('connect', (_req: IncomingMessage, socket: Duplex) => {
    const body = JSON.stringify({ error: 'method_not_allowed' });
    // Node has taken its own error listener off the socket; a reset client must not crash the process.
    socket.on('error', () => socket.destroy());
    socket.once('finish', () => socket.destroy());
    socket.end(
      `HTTP/1.1 405 Method Not Allowed\r\nAllow: ${ALLOW}\r\nConnection: close\r\n` +
        `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  });
}
