import type { FastifyInstance } from 'fastify';
import { WEBHOOK_SIGNATURE_HEADER, WEBHOOK_TIMESTAMP_HEADER } from '../webhooks/webhook-signature';
import type { WebhookIntake } from './webhook-intake';

export interface WebhookRouteDeps {
  readonly intake: WebhookIntake;
}

/** How long a sender should wait before retrying a push that failed on our side. */
export const RETRY_AFTER_SECONDS = 5;

function header(value: string | string[] | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/**
 * POST /webhooks/:source. Registered as its own encapsulated plugin: here every body is kept as the raw
 * bytes (the signature covers them exactly), without changing how the rest of the server parses bodies.
 */
export async function registerWebhookRoute(app: FastifyInstance, deps: WebhookRouteDeps): Promise<void> {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  app.post<{ Params: { source: string } }>('/webhooks/:source', async (req, reply) => {
    const rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    try {
      const result = await deps.intake({
        source: req.params.source,
        timestampHeader: header(req.headers[WEBHOOK_TIMESTAMP_HEADER]),
        signatureHeader: header(req.headers[WEBHOOK_SIGNATURE_HEADER]),
        rawBody,
      });
      return reply.code(result.status).send(result.body);
    } catch (error) {
      // The broker or the database failed. The event id was released, and a retry is safe: quotes
      // published already are stored once (their message ids), held ones are found held. The sender
      // learns to retry, not what failed.
      req.log.error({ err: error, source: req.params.source }, 'webhook push failed');
      return reply
        .code(503)
        .header('retry-after', String(RETRY_AFTER_SECONDS))
        .send({ error: 'unavailable', retryAfterSeconds: RETRY_AFTER_SECONDS });
    }
  });
}
