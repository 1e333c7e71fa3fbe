import { AuthError } from '../auth/auth-errors';
import type { Services } from '../services';
import type { RequestContext } from '../trpc/context';

/**
 * Signs a call in from what a bearer header carries: the principal, or why signing in failed — an
 * AuthError when the token was refused, anything else when it could not be checked (the database
 * unreachable); protected procedures answer the first with 401 and the second with 503 (trpc/init.ts).
 */
export async function signIn(
  services: Services,
  authorization: string | undefined,
): Promise<Pick<RequestContext, 'principal' | 'session' | 'authFailure'>> {
  if (!authorization) return { principal: null, session: null, authFailure: null };
  const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(authorization);
  if (!match) {
    return {
      principal: null,
      session: null,
      authFailure: new AuthError('INVALID_TOKEN', 'Authorization must be "Bearer <token>"'),
    };
  }
  try {
    const session = await services.auth.authenticate(match[1]!);
    return { principal: session.principal, session, authFailure: null };
  } catch (error) {
    return { principal: null, session: null, authFailure: error as Error };
  }
}
