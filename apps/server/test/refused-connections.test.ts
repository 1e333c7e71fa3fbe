import { mkdtemp, readdir, readFile, readlink, rm } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ScratchDatabase } from '@tickfolio/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { send, tryUpgrade } from './support/edge-client';
import { type ServerProcess, startServerProcess } from './support/server-process';
import { EXACT_RATE_LIMITS, testServerDatabase, testServerEnv } from './support/test-server';

/** Waits for conditions: generous, so a loaded machine only makes them longer. */
const WAIT = { timeout: 30_000, interval: 100 };

/**
 * The TCP connections a process holds open on its listening port: the sockets among its file
 * descriptors whose local port is that port, the listening socket aside. A socket the server has
 * forgotten but not closed (CLOSE-WAIT once the client hung up) counts until it is closed.
 */
async function openConnections(pid: number, port: number): Promise<number> {
  const inodes = new Set<string>();
  for (const fd of await readdir(`/proc/${pid}/fd`)) {
    const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
    const m = /^socket:\[(\d+)\]$/.exec(target);
    if (m) inodes.add(m[1]!);
  }
  let count = 0;
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const lines = (await readFile(table, 'utf8').catch(() => '')).split('\n').slice(1);
    for (const line of lines) {
      const fields = line.trim().split(/\s+/);
      if (fields.length < 10) continue;
      const localPort = Number.parseInt(fields[1]!.split(':')[1]!, 16);
      const listening = fields[3] === '0A';
      if (localPort === port && !listening && inodes.has(fields[9]!)) count++;
    }
  }
  return count;
}

/**
 * A WebSocket client that completes the handshake and then never reads or answers again: on shutdown
 * the server's close handshake waits for it in vain.
 */
function openSilentWebSocket(baseUrl: string): Promise<Socket> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname, () =>
      socket.write(
        'GET /trpc HTTP/1.1\r\nHost: tickfolio\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
          'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
      ),
    );
    socket.once('data', (chunk: Buffer) => {
      if (!chunk.toString('latin1').startsWith('HTTP/1.1 101')) reject(new Error('upgrade refused'));
      socket.pause();
      resolve(socket);
    });
    socket.on('error', () => {});
  });
}

/**
 * An upload in flight that never finishes: the headers, then a few bytes of a longer body, then
 * nothing. From another loopback address, so the exhausted limit of 127.0.0.1 does not answer it.
 */
function startStalledUpload(baseUrl: string): Promise<Socket> {
  const url = new URL(baseUrl);
  return new Promise((resolve) => {
    const socket = connect({ port: Number(url.port), host: url.hostname, localAddress: '127.0.0.2' }, () => {
      socket.write(
        'POST /trpc/auth.login HTTP/1.1\r\nHost: tickfolio\r\nContent-Type: application/json\r\n' +
          'Content-Length: 1000\r\n\r\n{"email":',
      );
      resolve(socket);
    });
    socket.on('error', () => {});
  });
}

describe('connections the server refuses', () => {
  let scratch: ScratchDatabase;
  let dataDir: string;
  let server: ServerProcess;

  beforeAll(async () => {
    scratch = await testServerDatabase();
    dataDir = await mkdtemp(join(tmpdir(), 'tickfolio-refused-'));
    server = await startServerProcess({
      ...testServerEnv(scratch.url, dataDir),
      ...EXACT_RATE_LIMITS,
      RATE_LIMIT_IP_PER_MINUTE: '20',
    });
  });
  afterAll(async () => {
    if (server && server.child.exitCode === null && server.child.signalCode === null) {
      server.child.kill('SIGKILL');
      await server.exited;
    }
    await scratch?.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('closes every refused upgrade and over-limit request, stays reachable, and stops on SIGTERM with a silent client and a stalled upload connected', async () => {
    const pid = server.child.pid!;
    const port = Number(new URL(server.url).port);
    expect((await send(server.url, '/healthz')).status).toBe(200);

    // Open through the shutdown: a client that will not answer the server's close handshake.
    const silent = await openSilentWebSocket(server.url);

    // Refused before the limit is reached: an upgrade to a path with no WebSocket route.
    expect((await tryUpgrade(server.url, '/nowhere')).status).toBe(404);
    // Spend the address's allowance, then go on past it.
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) statuses.push((await send(server.url, '/trpc/auth.me')).status);
    expect(statuses.slice(-10)).toEqual(Array(10).fill(429));
    // Hundreds of upgrades over the limit, 50 at a time: each answered 429 with Connection: close (on
    // a machine so slow that the minute's window ends meanwhile, the first 20 of the next are let in).
    let refusedCount = 0;
    for (let round = 0; round < 6; round++) {
      const answers = await Promise.all(Array.from({ length: 50 }, () => tryUpgrade(server.url)));
      const refused = answers.filter((a) => a.status !== 101);
      expect(refused.map((r) => [r.status, r.connection])).toEqual(refused.map(() => [429, 'close']));
      refusedCount += refused.length;
    }
    expect(refusedCount).toBeGreaterThanOrEqual(280);

    // Every refused connection is closed: only the silent client's remains.
    await vi.waitFor(async () => expect(await openConnections(pid, port)).toBeLessThanOrEqual(1), WAIT);
    expect((await send(server.url, '/healthz')).status).toBe(200);

    // Under way as the server stops: an upload that will never finish.
    const stalled = await startStalledUpload(server.url);
    await vi.waitFor(async () => expect(await openConnections(pid, port)).toBe(2), WAIT);

    // A clean stop (exit 0) is one that finished inside the stop deadline.
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    silent.destroy();
    stalled.destroy();
  }, 120_000);
});
