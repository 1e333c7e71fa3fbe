import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import helmet from 'helmet';

/**
 * Helmet's headers with these options, computed once. Its directives are all constants, so every
 * response gets the same headers; running its chain of middleware per request set them one
 * `setHeader` at a time, a sixteenth of the server's time per call at 1,000 calls a second
 * (docs/BENCHMARKS.md). Helmet's own code still decides what they are.
 */
function helmetHeaders(): Readonly<Record<string, string>> {
  const apply = helmet({ contentSecurityPolicy: { directives: { defaultSrc: ["'none'"] } } });
  const headers: Record<string, string> = {};
  const response = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  let done = false;
  apply({} as IncomingMessage, response as unknown as ServerResponse, (err?: unknown) => {
    if (err) throw err;
    done = true;
  });
  // A helmet that ever read the request or finished later would need running per request again.
  if (!done) throw new Error('helmet did not set its headers at once');
  return Object.freeze(headers);
}

/** Helmet's security headers on every response, the default CSP allowing nothing (the desk at /app sets its own). */
export function addSecurityHeaders(app: FastifyInstance): void {
  const headers = helmetHeaders();
  app.addHook('onRequest', (_req, reply, done) => {
    reply.headers(headers);
    done();
  });
}
