import { randomBytes } from 'node:crypto';
import type { PasswordHasher } from '../password-hasher';

/**
 * A verify against a throwaway hash made by the same hasher, for when there is no stored hash (unknown
 * email or client): the failure then costs what a wrong password costs, so timing does not tell which
 * accounts exist. The hash is made on first use, so it always matches the hasher's current cost.
 */
export function createDummyPasswordCheck(hasher: PasswordHasher): (plain: string) => Promise<false> {
  let dummyHash: Promise<string> | undefined;
  return async (plain) => {
    dummyHash ??= hasher.hash(randomBytes(32).toString('base64url'));
    await hasher.verify(await dummyHash, plain);
    return false;
  };
}
