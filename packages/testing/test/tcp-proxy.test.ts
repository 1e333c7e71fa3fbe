import { once } from 'node:events';
import { type AddressInfo, createServer, type Server, type Socket, connect as tcpConnect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTcpProxy, type TcpProxy, targetOf } from '../src';

/** The target: echoes every byte back and remembers what it received and how many connections came. */
let echo: Server;
let echoPort: number;
let received = '';
let targetConnections = 0;

beforeAll(async () => {
  echo = createServer((socket) => {
    targetConnections += 1;
    socket.on('data', (chunk) => {
      received += chunk.toString();
      socket.write(chunk);
    });
    socket.on('error', () => {});
  });
  echo.listen(0, '127.0.0.1');
  await once(echo, 'listening');
  echoPort = (echo.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => echo.close(() => resolve())));

const proxies: TcpProxy[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await Promise.all(proxies.splice(0).map((p) => p.stop()));
  received = '';
  targetConnections = 0;
});

async function proxy(): Promise<TcpProxy> {
  const p = await startTcpProxy({ target: { host: '127.0.0.1', port: echoPort } });
  proxies.push(p);
  return p;
}

/** A client connection through the proxy that collects what it reads and how it ended. */
async function client(p: TcpProxy) {
  const socket = tcpConnect(p.port, p.host);
  sockets.push(socket);
  let text = '';
  let error: NodeJS.ErrnoException | null = null;
  let closed = false;
  socket.on('data', (chunk) => {
    text += chunk.toString();
  });
  socket.on('error', (e) => {
    error = e;
  });
  socket.on('close', () => {
    closed = true;
  });
  await once(socket, 'connect');
  return {
    socket,
    read: () => text,
    error: () => error,
    closed: () => closed,
  };
}

const WAIT = { timeout: 20_000, interval: 10 };

describe('startTcpProxy', () => {
  it('passes bytes both ways, and rewrites a URL to go through it', async () => {
    const p = await proxy();
    const c = await client(p);
    c.socket.write('hello');
    await vi.waitFor(() => expect(c.read()).toBe('hello'), WAIT);
    expect(p.url('postgres://postgres@127.0.0.1:5432/db?x=1')).toBe(
      `postgres://postgres@127.0.0.1:${p.port}/db?x=1`,
    );
    expect(p.url('redis://localhost:6379')).toBe(`redis://127.0.0.1:${p.port}`);
    expect(p.openConnections).toBe(1);
    expect(targetOf('postgres://u@db.internal:6543/x')).toEqual({ host: 'db.internal', port: 6543 });
    expect(targetOf('redis://127.0.0.1')).toEqual({ host: '127.0.0.1', port: 6379 });
  });

  it('holds each chunk for the latency, in order', async () => {
    const p = await proxy();
    p.setMode({ latencyMs: 150 });
    const c = await client(p);
    const sent = Date.now();
    for (const part of ['a', 'b', 'c', 'd']) c.socket.write(part);
    await vi.waitFor(() => expect(c.read()).toBe('abcd'), WAIT);
    // There and back: at least the latency once each way.
    expect(Date.now() - sent).toBeGreaterThanOrEqual(300);
  });

  it('black-holes open and new connections, then delivers everything held when the link comes back', async () => {
    const p = await proxy();
    const open = await client(p);
    open.socket.write('before ');
    await vi.waitFor(() => expect(open.read()).toBe('before '), WAIT);

    p.setMode('blackhole');
    open.socket.write('during');
    // A new connection is accepted, but nothing reaches the target.
    const fresh = await client(p);
    fresh.socket.write('fresh');
    await sleep(200);
    expect(received).toBe('before ');
    expect(targetConnections).toBe(1);
    expect(open.read()).toBe('before ');
    expect(open.closed()).toBe(false);

    p.setMode('pass');
    await vi.waitFor(() => expect(open.read()).toBe('before during'), WAIT);
    await vi.waitFor(() => expect(fresh.read()).toBe('fresh'), WAIT);
    expect(targetConnections).toBe(2);
  });

  it('reset mode resets open connections and every new one until the link passes again', async () => {
    const p = await proxy();
    const open = await client(p);
    open.socket.write('x');
    await vi.waitFor(() => expect(open.read()).toBe('x'), WAIT);

    p.setMode('reset');
    await vi.waitFor(() => expect(open.error()?.code).toBe('ECONNRESET'), WAIT);
    const refused = tcpConnect(p.port, p.host);
    sockets.push(refused);
    const [error] = (await once(refused, 'error')) as [NodeJS.ErrnoException];
    expect(error.code).toBe('ECONNRESET');

    p.setMode('pass');
    const again = await client(p);
    again.socket.write('back');
    await vi.waitFor(() => expect(again.read()).toBe('back'), WAIT);
  });

  it('resetConnections resets the open connections once and lets new ones through', async () => {
    const p = await proxy();
    const open = await client(p);
    open.socket.write('x');
    await vi.waitFor(() => expect(open.read()).toBe('x'), WAIT);

    p.resetConnections();
    await vi.waitFor(() => expect(open.error()?.code).toBe('ECONNRESET'), WAIT);
    await vi.waitFor(() => expect(p.openConnections).toBe(0), WAIT);
    const next = await client(p);
    next.socket.write('y');
    await vi.waitFor(() => expect(next.read()).toBe('y'), WAIT);
    expect(p.acceptedConnections).toBe(2);
  });

  it('strandConnections silences the open connections for good while new ones pass', async () => {
    const p = await proxy();
    const old = await client(p);
    old.socket.write('a');
    await vi.waitFor(() => expect(old.read()).toBe('a'), WAIT);

    p.strandConnections();
    old.socket.write('b');
    p.setMode('pass');
    const fresh = await client(p);
    fresh.socket.write('c');
    await vi.waitFor(() => expect(fresh.read()).toBe('c'), WAIT);
    expect(old.read()).toBe('a');
    expect(old.closed()).toBe(false);
    expect(received).toBe('ac');
  });

  it('passes a half-close on (the client ends, the answer still arrives)', async () => {
    const p = await proxy();
    const c = await client(p);
    c.socket.end('last');
    await vi.waitFor(() => expect(c.closed()).toBe(true), WAIT);
    expect(received).toBe('last');
    expect(c.read()).toBe('last');
  });

  it('stop closes every connection', async () => {
    const p = await proxy();
    const c = await client(p);
    await p.stop();
    proxies.splice(proxies.indexOf(p), 1);
    await vi.waitFor(() => expect(c.closed()).toBe(true), WAIT);
  });
});
