import argon2 from 'argon2';

/** argon2id with OWASP's minimum: 19 MiB memory, 2 iterations, 1 lane. */
const OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export interface PasswordHasher {
  hash(plain: string): Promise<string>;
  verify(hash: string, plain: string): Promise<boolean>;
}

export function createPasswordHasher(): PasswordHasher {
  return {
    hash: (plain) => argon2.hash(plain, OPTIONS),
    verify: async (hash, plain) => {
      try {
        return await argon2.verify(hash, plain);
      } catch {
        return false; // a malformed stored hash verifies nothing
      }
    },
  };
}
