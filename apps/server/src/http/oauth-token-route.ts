import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AuthError } from '../auth/auth-errors';
import type { AuthService } from '../auth/auth-service';
import type { RateLimiter } from '../ports/rate-limiter';

const tokenRequestSchema = z.object({
  grant_type: z.string(),
  client_id: z.string().min(1).max(200).optional(),
  client_secret: z.string().min(1).max(500).optional(),
  scope: z.string().max(500).optional(),
});

/** Client credentials from HTTP Basic (RFC 6749 §2.3.1) or, failing that, the form body. */
function basicCredentials(header: string | undefined): { id: string; secret: string } | null {
  const m = header ? /^Basic ([A-Za-z0-9+/]+=*)$/.exec(header) : null;
  if (!m) return null;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  const id = formDecode(decoded.slice(0, colon));
  const secret = formDecode(decoded.slice(colon + 1));
  return id === null || secret === null ? null : { id, secret };
}

/** Basic credentials are form-encoded first (RFC 6749 §2.3.1); a malformed escape is a bad credential, not a 500. */
function formDecode(value: string): string | null {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return null;
  }
}

/** `POST /oauth/token`: OAuth2 client credentials for other services (RFC 6749 §4.4). */
export function registerOAuthTokenRoute(app: FastifyInstance, auth: AuthService, limit: RateLimiter): void {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });

  app.post('/oauth/token', async (req, reply) => {
    reply.header('cache-control', 'no-store');
    const oauthError = (status: number, error: string, description: string) =>
      reply.code(status).send({ error, error_description: description });
    const parsed = tokenRequestSchema.safeParse(req.body ?? {});
    if (!parsed.success) return oauthError(400, 'invalid_request', 'malformed token request');
    if (parsed.data.grant_type !== 'client_credentials') {
      return oauthError(400, 'unsupported_grant_type', 'only client_credentials is supported');
    }
    const basic = basicCredentials(req.headers.authorization);
    const clientId = basic?.id ?? parsed.data.client_id;
    const clientSecret = basic?.secret ?? parsed.data.client_secret;
    if (!clientId || !clientSecret)
      return oauthError(401, 'invalid_client', 'client authentication required');

    const decision = await limit.consume(`oauth:${clientId}`);
    if (!decision.allowed) {
      reply.header('retry-after', String(decision.retryAfterSeconds));
      return oauthError(429, 'slow_down', 'too many token requests');
    }
    try {
      return await auth.issueClientToken({ clientId, clientSecret, scope: parsed.data.scope });
    } catch (error) {
      if (error instanceof AuthError && error.code === 'INVALID_SCOPE') {
        return oauthError(400, 'invalid_scope', error.message);
      }
      if (error instanceof AuthError)
        return oauthError(401, 'invalid_client', 'client authentication failed');
      throw error;
    }
  });
}
