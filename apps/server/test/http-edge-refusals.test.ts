import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_LOGINS, DEMO_PASSWORD } from '@tickfolio/db/demo';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startupBanner } from '../src/startup-banner';
import { postTrpc, send, sendRaw } from './support/edge-client';
import { startTestServer, type TestServer } from './support/test-server';

const MiB = 1024 * 1024;

/**
 * A real import file of about `bytes`: a Ghostfolio export (JSON) with its activities, padded with
 * whitespace that JSON ignores, so the size is the body's and the rows are few.
 */
function largeGhostfolioExport(bytes: number): string {
  const file = readFileSync(join(import.meta.dirname, 'fixtures/import/ghostfolio-ok.json'), 'utf8');
  return file + ' '.repeat(Math.max(0, bytes - file.length));
}

/** What an answer must never carry: a stack, an exception's name, a runtime's message. */
const INTERNAL_DETAIL = /TypeError|Error:|\bat [\w.<>]+ \(|node:internal|unsupported|undici|stack/i;

describe('the HTTP edge refuses cleanly', () => {
  let server: TestServer;
  const logLines: string[] = [];

  beforeAll(async () => {
    // Default body limits (1 MiB, imports 6 MiB); the log as an operator would keep it, from the start.
    const log = pino({ level: 'info' }, { write: (line: string) => void logLines.push(line) });
    server = await startTestServer({}, { log });
  });
  afterAll(() => server?.stop());

  it('never logs the demo password, and leaves the demo logins to the start-up banner (said once)', async () => {
    await server.login(DEMO_LOGINS.investor);
    const log = logLines.join('');
    expect(log).not.toContain(DEMO_PASSWORD);
    expect(log).not.toContain(DEMO_LOGINS.advisor);
    expect(startupBanner(server.url, server.config)).toContain(DEMO_LOGINS.advisor);
  });

  it('gives the import body limit to transactions.import calls alone, however the URL names it', async () => {
    const body = JSON.stringify({ email: 'a@b.dev', password: 'x'.repeat(2 * MiB) });
    for (const path of [
      'auth.login?transactions.import',
      'auth.login?x=/trpc/transactions.import',
      'transactions.importer',
      'auth.login,transactions.import?batch=1',
      'transactions.import,auth.login?batch=1',
    ]) {
      const answer = await postTrpc(server.url, path, body);
      expect({ path, status: answer.status }).toEqual({ path, status: 413 });
    }
  });

  it('still takes a large file on the import path itself, as a lone call and as a batch of one', async () => {
    const { token, client } = await server.login(DEMO_LOGINS.investor);
    const accountId = (await client.accounts.create.mutate({ name: 'Large import', baseCurrency: 'USD' })).id;
    const input = {
      accountId,
      format: 'ghostfolio-json' as const,
      content: largeGhostfolioExport(2 * MiB),
      dryRun: true,
    };
    const lone = await postTrpc(server.url, 'transactions.import', input, { token });
    expect(lone.status).toBe(200);
    expect(lone.json).toMatchObject({ result: { data: { dryRun: true } } });
    // tRPC's batching link sends a lone call as a batch of one: `transactions.import?batch=1`.
    expect(await client.transactions.import.mutate(input)).toMatchObject({ dryRun: true });
  });

  it('answers methods it does not serve with a 4xx and no internal detail, on every kind of path', async () => {
    const host = new URL(server.url).host;
    for (const path of ['/trpc/auth.me', '/trpc/auth.me,auth.me?batch=1', '/trpc', '/healthz', '/nowhere']) {
      for (const method of ['TRACE', 'TRACK', 'PROPFIND', 'PUT', 'DELETE', 'PATCH', 'SEARCH', 'BREW']) {
        const answer = await sendRaw(
          server.url,
          `${method} ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`,
        );
        expect([400, 404, 405], `${method} ${path}`).toContain(answer.status);
        expect(answer.raw).not.toMatch(INTERNAL_DETAIL);
      }
    }
    const connect = await sendRaw(server.url, `CONNECT ${host} HTTP/1.1\r\nHost: ${host}\r\n\r\n`);
    expect(connect.status).toBe(405);
    expect(connect.raw).not.toMatch(INTERNAL_DETAIL);
    // The methods served still are.
    expect((await send(server.url, '/healthz', { method: 'HEAD' })).status).toBe(200);
    expect((await send(server.url, '/trpc/auth.me')).status).toBe(401);
  });
});
