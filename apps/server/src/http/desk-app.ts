import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Where the advisors' desk is served. */
export const DESK_PREFIX = '/app';

/** Hashed build assets never change under their name: a year, immutable. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

/** A host as it may appear in a Host header (name or address, optional port), nothing else. */
const HOST = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

/**
 * The page's Content-Security-Policy: its own scripts, styles and images only, no inline script, no
 * framing, and calls only to this server — over HTTP(S) ('self') and its WebSocket (ws/wss of the
 * same host, named explicitly for browsers that do not count them as 'self'). The book runs in a worker
 * of the page's own scripts: named in worker-src rather than left to script-src's fallback.
 */
export function deskContentSecurityPolicy(host: string | undefined): string {
  const sockets = host && HOST.test(host) ? ` ws://${host} wss://${host}` : '';
  return [
    "default-src 'none'",
    "script-src 'self'",
    "worker-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self'${sockets}`,
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}

/** The page saying how to build the desk, when the server runs from a checkout that has not. */
const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Tickfolio desk not built</title></head>
<body style="font: 15px/1.5 system-ui, sans-serif; max-width: 40em; margin: 4em auto; padding: 0 1em">
<h1>The advisors' desk has not been built</h1>
<p>This server serves the desk from <code>apps/desktop/dist/renderer</code>, which is not there.
Build it, then reload this page:</p>
<pre>pnpm --filter @tickfolio/desktop build</pre>
<p><code>pnpm start</code> builds it by itself when it is missing; the API at <code>/trpc</code> works either way.</p>
</body></html>
`;

/** A path below /app/ that names a file (an extension, or under assets/) rather than a screen. */
function namesFile(path: string): boolean {
  return path.startsWith(`${DESK_PREFIX}/assets/`) || /\.[A-Za-z0-9]+$/.test(path);
}

/**
 * Serves the desk's renderer build at /app/ (index.html at /app/ and /app/index.html, the hashed
 * assets under /app/assets/), each answer with the page's CSP in place of the API's `default-src
 * 'none'`. index.html is `no-cache` (revalidated each visit, so a new build is picked up) and assets
 * are immutable. The desk addresses its screens in the location hash, so a deep link that reached the
 * server as a path (/app/client/…) is redirected to the same screen under /app/#/…; a missing file is
 * a plain 404. Without a build, /app answers 503 with a page saying how to build it.
 */
export async function registerDeskApp(app: FastifyInstance, deskDir: string): Promise<void> {
  const built = existsSync(join(deskDir, 'index.html'));
  app.get(DESK_PREFIX, (_req, reply) => reply.redirect(`${DESK_PREFIX}/`));

  await app.register(
    async (scope) => {
      scope.addHook('onSend', async (req: FastifyRequest, reply: FastifyReply) => {
        reply.header('content-security-policy', deskContentSecurityPolicy(req.headers.host));
      });

      if (!built) {
        const notBuilt = async (_req: FastifyRequest, reply: FastifyReply) =>
          reply
            .code(503)
            .header('cache-control', 'no-store')
            .type('text/html; charset=utf-8')
            .send(NOT_BUILT);
        // `/*` matches /app/ too (an empty rest); /app itself redirects there.
        scope.get('/*', notBuilt);
        return;
      }

      await scope.register(fastifyStatic, {
        root: deskDir,
        prefix: '/',
        index: ['index.html'],
        // Cache headers are set per file below; dotfiles (none are built) are never served.
        cacheControl: false,
        dotfiles: 'deny',
        setHeaders(res, filePath) {
          const immutable = filePath.includes(`${join(deskDir, 'assets')}`);
          res.setHeader('cache-control', immutable ? IMMUTABLE : 'no-cache');
        },
      });

      scope.setNotFoundHandler(async (req, reply) => {
        const path = req.url.split('?')[0]!;
        if (req.method !== 'GET' && req.method !== 'HEAD')
          return reply.code(404).send({ error: 'not_found' });
        if (namesFile(path)) {
          return reply.code(404).header('cache-control', 'no-store').send({ error: 'not_found' });
        }
        // A screen's path: the same screen in the hash, where the desk reads it.
        const screen = path.slice(DESK_PREFIX.length).replace(/^\/+/, '');
        return reply.redirect(`${DESK_PREFIX}/#/${screen}`);
      });
    },
    { prefix: DESK_PREFIX },
  );
}
