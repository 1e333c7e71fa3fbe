import { connect } from 'node:net';

/**
 * Connects to 127.0.0.1:`port`, sends `send` (if any) and resolves with the first bytes the peer answers,
 * or rejects when it refuses, closes or says nothing within `timeoutMs`. Enough to tell that an engine
 * (Redis's PONG, NATS's INFO) serves.
 */
export function tcpGreeting(port: number, send?: string, timeoutMs = 1000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`no answer on port ${port}`)));
    socket.once('connect', () => {
      if (send !== undefined) socket.write(send);
    });
    socket.once('data', (chunk) => {
      resolve(chunk.toString());
      socket.destroy();
    });
    socket.once('error', reject);
    socket.once('close', () => reject(new Error(`port ${port} closed without an answer`)));
  });
}
