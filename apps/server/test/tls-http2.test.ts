import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:http2';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/test-server';

/** A self-signed certificate for 127.0.0.1, made with the machine's openssl. */
function selfSigned(dir: string): { cert: string; key: string } {
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  return { cert, key };
}

describe('TLS with HTTP/2', () => {
  let dir: string;
  let server: TestServer;
  let certPem: Buffer;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tickfolio-tls-'));
    const { cert, key } = selfSigned(dir);
    certPem = readFileSync(cert);
    server = await startTestServer({ TLS_CERT_FILE: cert, TLS_KEY_FILE: key });
  });
  afterAll(async () => {
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('serves HTTPS and negotiates HTTP/2, so many live streams share one connection', async () => {
    expect(server.url).toMatch(/^https:/);
    const session = connect(server.url, { ca: certPem });
    try {
      const get = (path: string) =>
        new Promise<{ status: number; body: string }>((resolve, reject) => {
          const req = session.request({ ':path': path });
          let body = '';
          let status = 0;
          req.on('response', (headers) => {
            status = Number(headers[':status']);
          });
          req.setEncoding('utf8');
          req.on('data', (chunk: string) => {
            body += chunk;
          });
          req.on('end', () => resolve({ status, body }));
          req.on('error', reject);
          req.end();
        });
      // Two requests in flight at once on the one HTTP/2 session.
      const [health, ready] = await Promise.all([get('/healthz'), get('/readyz')]);
      expect(session.alpnProtocol).toBe('h2');
      expect(health).toEqual({ status: 200, body: JSON.stringify({ status: 'ok' }) });
      expect(ready.status).toBe(200);
    } finally {
      session.close();
    }
  });
});
