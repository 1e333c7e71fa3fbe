import { createServer } from 'node:net';

/**
 * A TCP port on 127.0.0.1 that nothing listens on now: the kernel picks it, the probe lets it go. Another
 * process could take it before the caller binds it; the kernel hands out ports in turn, so that is rare.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
