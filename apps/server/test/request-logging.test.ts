import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/test-server';

/** A logger at the level whose lines the test reads back. */
function capturedLogger(level: string) {
  const lines: { msg: string; path?: string; statusCode?: number }[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { log: pino({ level }, sink), lines };
}

describe('request logging', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  async function threeRequests(s: TestServer) {
    await fetch(`${s.url}/healthz`);
    await fetch(`${s.url}/trpc/auth.me?input=${encodeURIComponent('{"secret":"x"}')}`);
    await fetch(`${s.url}/no-such-route`);
  }

  it('writes no line per request at the default level', async () => {
    const { log, lines } = capturedLogger('info');
    server = await startTestServer({}, { log });
    const before = lines.length;
    await threeRequests(server);
    expect(lines.slice(before).filter((l) => /request/.test(l.msg))).toEqual([]);
  });

  it('writes one line per request at debug, with the path but not the query', async () => {
    const { log, lines } = capturedLogger('debug');
    server = await startTestServer({}, { log });
    const before = lines.length;
    await threeRequests(server);
    const requests = lines.slice(before).filter((l) => /request/.test(l.msg));
    expect(requests.map((l) => [l.msg, l.path, l.statusCode])).toEqual([
      ['request', '/healthz', 200],
      ['request', '/trpc/auth.me', 401],
      ['request', '/no-such-route', 404],
    ]);
  });
});
