import { decodeJwt, SignJWT } from 'jose';
import type { TestServer } from './test-server';

/**
 * A copy of an access token the server issued, signed again with the server's key to expire `seconds`
 * from now (the shortest token the server issues lives 30 s): the same subject, role and token version.
 */
export async function expiringCopy(
  server: Pick<TestServer, 'config'>,
  token: string,
  seconds: number,
): Promise<string> {
  const { iat: _iat, exp: _exp, ...claims } = decodeJwt(token);
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' })
    .setIssuedAt(now)
    .setExpirationTime(now + seconds)
    .sign(new TextEncoder().encode(server.config.auth.jwtSecret!));
}
