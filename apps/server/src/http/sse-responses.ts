import type { ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';

/** The ping event tRPC's client knows (it resets its inactivity timer), as tRPC itself writes it. */
const PING = 'event: ping\ndata: \n\n\n';

/** Whether a written chunk ends an SSE message (a blank line). */
function endsMessage(chunk: unknown): boolean {
  if (typeof chunk === 'string') return chunk.endsWith('\n\n');
  if (chunk instanceof Uint8Array) {
    const n = chunk.length;
    return n >= 2 && chunk[n - 1] === 0x0a && chunk[n - 2] === 0x0a;
  }
  return false;
}

/**
 * A tRPC SSE response, cheaper per event and kept alive without tRPC's own ping:
 * - tRPC writes each event as three or four chunks (event, data and id lines, a blank line), each a
 *   socket write; corked until the turn of the event loop ends, they leave as one.
 * - tRPC's ping races a fresh timer against every event the stream yields (a timer, promises and
 *   weak-map entries per event: a third of the server's SSE cost at 2,000 events a second, and most of
 *   what its young generation promoted). Instead, a stream that has written nothing for pingMs gets a
 *   `ping` event, written between two events, never inside one.
 */
function serveSse(res: ServerResponse, pingMs: number): void {
  const write = res.write.bind(res) as (chunk: unknown, ...rest: unknown[]) => boolean;
  let corked = false;
  let betweenMessages = true;
  let lastWriteAt = performance.now();
  const uncork = () => {
    corked = false;
    res.uncork();
  };
  res.write = ((chunk: unknown, ...rest: unknown[]) => {
    if (!corked) {
      corked = true;
      res.cork();
      process.nextTick(uncork);
    }
    betweenMessages = endsMessage(chunk);
    lastWriteAt = performance.now();
    return write(chunk, ...rest);
  }) as ServerResponse['write'];
  const pinger = setInterval(
    () => {
      if (!res.headersSent || res.writableEnded || !betweenMessages) return;
      if (performance.now() - lastWriteAt >= pingMs) res.write(PING);
    },
    Math.max(10, Math.floor(pingMs / 2)),
  );
  pinger.unref();
  res.once('close', () => clearInterval(pinger));
}

/** Whether a request opens a live stream: EventSource (tRPC's SSE subscriptions) asks for one. */
export function asksForEventStream(req: { headers: { accept?: string } }): boolean {
  return req.headers.accept?.includes('text/event-stream') === true;
}

/**
 * Serves every SSE request (EventSource asks for text/event-stream) with serveSse, and when the server
 * closes, cuts the open ones off instead of letting them end: to a tRPC client a stream that ended is
 * finished, and it never opens it again, while a lost connection is reconnected with the last event
 * id, which is what a restart (a deploy) must look like to a subscriber. Closing the server closes the
 * WebSockets (code 1001) for the same reason; the live streams are ended only after (main.ts).
 */
export function serveSseStreams(app: FastifyInstance, pingMs: number): void {
  const open = new Set<ServerResponse>();
  app.addHook('onRequest', async (req, reply) => {
    if (!asksForEventStream(req)) return;
    const res = reply.raw;
    serveSse(res, pingMs);
    open.add(res);
    res.once('close', () => open.delete(res));
  });
  app.addHook('preClose', (done) => {
    for (const res of open) res.destroy();
    done();
  });
}
