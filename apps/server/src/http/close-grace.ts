import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';

/**
 * Bounds how long closing the server waits for the connections still open. Fastify's close stops
 * accepting connections, closes idle ones and the WebSockets (each has CLOSE_HANDSHAKE_MS to answer),
 * then waits for every other connection to end by itself. One slow upload (a body that trickles in:
 * Fastify sets no request timeout) held it past the process's stop deadline (packages/process, 20 s),
 * and the process was killed instead of stopping. Whatever is still connected `graceMs` after the
 * close began is cut off, so in-flight requests get that long to finish.
 */
export function limitCloseWait(app: FastifyInstance, graceMs: number): void {
  const sockets = new Set<Socket>();
  app.server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  // Registered before the WebSocket plugin, whose own preClose waits for its sockets to close.
  app.addHook('preClose', (done) => {
    const cutOff = setTimeout(() => {
      for (const socket of sockets) socket.destroy();
    }, graceMs);
    cutOff.unref();
    app.server.once('close', () => clearTimeout(cutOff));
    done();
  });
}
