import { Transform } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { trpcCallsOf } from './trpc-calls';

/** The one procedure that carries whole files. */
const IMPORT_PROCEDURE = 'transactions.import';

function tooLarge(limit: number): Error {
  return Object.assign(new Error(`request body is larger than ${limit} bytes`), {
    statusCode: 413,
    code: 'FST_ERR_CTP_BODY_TOO_LARGE',
  });
}

/**
 * Body size limits per route: every request gets the default limit except file imports, which get
 * the larger one. Fastify's own bodyLimit is set to the larger; this hook enforces the smaller one,
 * on the declared length and on the bytes actually streamed (chunked bodies have no length).
 *
 * A request is an import when the procedures it calls, as tRPC reads them from its path, are all
 * transactions.import: one call, or a batch of them only (tRPC's batching link sends even a lone call
 * as a batch of one). Anything else, a query string or another procedure naming the import, or a batch
 * mixing the import with other calls, gets the default limit: the larger one is the import's alone.
 */
export function registerBodyLimits(app: FastifyInstance, defaultLimit: number, importLimit: number): void {
  app.addHook('preParsing', async (req, _reply, payload) => {
    const calls = trpcCallsOf(req);
    const limit = calls?.every((path) => path === IMPORT_PROCEDURE) ? importLimit : defaultLimit;
    if (Number(req.headers['content-length'] ?? 0) > limit) throw tooLarge(limit);
    let seen = 0;
    return payload.pipe(
      new Transform({
        transform(chunk: Buffer, _encoding, done) {
          seen += chunk.length;
          done(seen > limit ? tooLarge(limit) : null, chunk);
        },
      }),
    );
  });
}
