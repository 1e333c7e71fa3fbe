import { printableKeySchema } from '@tickfolio/core';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AuthError } from '../auth/auth-errors';
import type { AuthService } from '../auth/auth-service';
import { type SignInThrottle, SignInThrottledError } from '../auth/sign-in-throttle';
import { isUnavailable, UNAVAILABLE_MESSAGE } from '../services/unavailable';

const tokenRequestSchema = z.object({
  grant_type: z.string(),
  client_id: z.string().min(1).max(200).optional(),
  client_secret: z.string().min(1).max(500).optional(),
  scope: z.string().max(500).optional(),
});

/** What a client id can be (ours are `tfc_` and base64url); anything else names no client. */
const clientIdSchema = printableKeySchema(200);

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

/**
 * `POST /oauth/token`: OAuth2 client credentials for other services (RFC 6749 §4.4), within the sign-in
 * limits (auth/sign-in-throttle.ts) with the client id as the account: wrong secrets and unknown ids
 * count per client id and address, per address and per client id, and an address over its limit is
 * refused before any secret is hashed. An unknown id costs the one dummy check a wrong secret costs.
 */
export function registerOAuthTokenRoute(
  app: FastifyInstance,
  auth: AuthService,
  throttle: SignInThrottle,
  retryAfterSeconds: number,
): void {
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
    if (!clientIdSchema.safeParse(clientId).success) {
      return oauthError(401, 'invalid_client', 'client authentication failed');
    }

    try {
      return await throttle.attempt(`client:${clientId}`, req.ip, () =>
        auth.issueClientToken({ clientId, clientSecret, scope: parsed.data.scope }),
      );
    } catch (error) {
      if (error instanceof SignInThrottledError) {
        reply.header('retry-after', String(error.retryAfterSeconds));
        return oauthError(429, 'slow_down', 'too many failed token requests');
      }
      if (error instanceof AuthError && error.code === 'INVALID_SCOPE') {
        return oauthError(400, 'invalid_scope', error.message);
      }
      if (error instanceof AuthError)
        return oauthError(401, 'invalid_client', 'client authentication failed');
      // The credentials could not be checked (the database unreachable): not the client's fault, and
      // not a sign they are wrong (RFC 6749's temporarily_unavailable).
      if (isUnavailable(error)) {
        req.log.warn({ err: error }, 'client authentication unavailable');
        reply.header('retry-after', String(retryAfterSeconds));
        return oauthError(503, 'temporarily_unavailable', UNAVAILABLE_MESSAGE);
      }
      throw error;
    }
  });
}
