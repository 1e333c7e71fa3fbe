import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerDeskApp } from '../src/http/desk-app';
import { addSecurityHeaders } from '../src/http/security-headers';
import { startTestApi, type TestApi } from './support/test-api';

const INDEX =
  '<!doctype html><html><head><script type="module" src="./assets/index-Ab12Cd34.js"></script></head></html>';
const SCRIPT = 'console.log("desk");';

/** A desk build in miniature: index.html and one hashed asset, as Vite writes them. */
async function fixtureBuild(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tickfolio-desk-'));
  await mkdir(join(dir, 'assets'));
  await writeFile(join(dir, 'index.html'), INDEX);
  await writeFile(join(dir, 'assets', 'index-Ab12Cd34.js'), SCRIPT);
  return dir;
}

describe('the desk at /app', () => {
  let api: TestApi;
  let dir: string;

  beforeAll(async () => {
    dir = await fixtureBuild();
    api = await startTestApi({ DESK_DIR: dir });
  });
  afterAll(async () => {
    await api?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('serves index.html at /app/ uncached, with the page CSP in place of the API one', async () => {
    const res = await fetch(`${api.url}/app/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(await res.text()).toBe(INDEX);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    const csp = res.headers.get('content-security-policy')!;
    const host = new URL(api.url).host;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("worker-src 'self'");
    expect(csp).toContain(`connect-src 'self' ws://${host} wss://${host}`);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    // The other security headers stay.
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    // The API keeps its own policy.
    const api2 = await fetch(`${api.url}/healthz`);
    expect(api2.headers.get('content-security-policy')).toContain("default-src 'none'");
  });

  it('redirects /app to /app/', async () => {
    const res = await fetch(`${api.url}/app`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/app/');
  });

  it('serves hashed assets as immutable', async () => {
    const res = await fetch(`${api.url}/app/assets/index-Ab12Cd34.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('javascript');
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await res.text()).toBe(SCRIPT);
  });

  it('sends a deep link to its screen in the hash, and answers a missing file 404', async () => {
    const deep = await fetch(`${api.url}/app/client/1234`, { redirect: 'manual' });
    expect(deep.status).toBe(302);
    expect(deep.headers.get('location')).toBe('/app/#/client/1234');
    const missing = await fetch(`${api.url}/app/assets/gone-0000.js`);
    expect(missing.status).toBe(404);
    expect((await fetch(`${api.url}/app/../package.json`)).status).toBe(404);
  });
});

describe('the desk without a build', () => {
  it('answers 503 with a page saying how to build it', async () => {
    const app = Fastify();
    addSecurityHeaders(app);
    await registerDeskApp(app, join(tmpdir(), 'tickfolio-no-desk-here'));
    try {
      for (const url of ['/app/', '/app/client/1']) {
        const res = await app.inject({ url });
        expect(res.statusCode).toBe(503);
        expect(res.headers['content-type']).toContain('text/html');
        expect(res.body).toContain('pnpm --filter @tickfolio/desktop build');
        expect(res.headers['content-security-policy']).toContain("script-src 'self'");
      }
    } finally {
      await app.close();
    }
  });
});
