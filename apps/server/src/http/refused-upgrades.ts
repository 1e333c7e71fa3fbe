import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';

/**
 * Closes the socket of every WebSocket upgrade that is answered over HTTP instead: a 429 from the IP
 * limit, a 404, a refused body, an error. Node hands an upgrade request's socket to the 'upgrade'
 * listeners and forgets it: no HTTP parser reads it any more and nothing else closes it. A refusal
 * used to leave it open, half-closed (CLOSE-WAIT) once the client hung up, holding a file descriptor
 * for good, until a flood of refused upgrades from one address used up the process's descriptors.
 * (@fastify/websocket destroys it only when its own onRequest hook has run, which a hook that answers
 * earlier, such as the IP limit, skips.) As trusted servers do (ws's abortHandshake), the refusal says
 * `Connection: close` and the socket is destroyed once the answer is written. An onSend hook sees every
 * reply, whichever hook, handler or error handler made it; an accepted upgrade is hijacked, never sent.
 */
export function closeRefusedUpgrades(app: FastifyInstance): void {
  const upgrades = new WeakSet<IncomingMessage>();
  // Ahead of @fastify/websocket's listener, which starts routing the request at once.
  app.server.prependListener('upgrade', (req: IncomingMessage) => upgrades.add(req));
  app.addHook('onSend', (req, reply, payload, done) => {
    if (upgrades.has(req.raw)) {
      const socket = req.raw.socket;
      reply.header('connection', 'close');
      reply.raw.once('finish', () => socket.destroy());
    }
    done(null, payload);
  });
}
