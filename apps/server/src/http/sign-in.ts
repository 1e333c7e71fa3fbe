import type { Services } from '../services';
import type { RequestContext } from '../trpc/context';

/** Signs a call in from what a bearer header carries: the principal, or why the token was refused. */
export async function signIn(
  services: Services,
  authorization: string | undefined,
): Promise<Pick<RequestContext, 'principal' | 'authFailure'>> {
  if (!authorization) return { principal: null, authFailure: null };
  const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(authorization);
  if (!match) return { principal: null, authFailure: new Error('Authorization must be "Bearer <token>"') };
  try {
    return { principal: await services.auth.authenticate(match[1]!), authFailure: null };
  } catch (error) {
    return { principal: null, authFailure: error as Error };
  }
}
