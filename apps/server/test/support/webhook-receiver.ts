import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One POST the receiver took: its headers, its exact body, and whether the signature verified. */
export interface ReceivedHook {
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
  readonly verified: boolean;
}

/**
 * A local HTTP receiver of notification webhooks, verifying each signature on its own (HMAC-SHA256 over
 * `timestamp.body` with the secret, as docs/notifications.md tells a receiver to), not with the server's
 * code. `status` answers every request (500: a receiver that is down).
 */
export async function startWebhookReceiver(secret: string, status = 200) {
  const received: ReceivedHook[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const timestamp = String(req.headers['x-tickfolio-timestamp'] ?? '');
      const given = String(req.headers['x-tickfolio-signature'] ?? '').replace(/^sha256=/, '');
      const expected = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest();
      const givenBytes = Buffer.from(given, 'hex');
      const fresh = Math.abs(Number(timestamp) - Date.now() / 1000) <= 300;
      const verified =
        fresh && givenBytes.length === expected.length && timingSafeEqual(givenBytes, expected);
      received.push({ headers: req.headers, body, verified });
      res.statusCode = status;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/tickfolio`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
