import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { SecretFile } from './session-store';

/**
 * The sealed session's file. Written to a temporary file and renamed over the old one, so a crash
 * mid-write leaves the previous session rather than a torn one, and created readable by the user
 * alone: the content is encrypted, but nobody else has reason to read it.
 */
export function createSecretFile(path: string): SecretFile {
  return {
    async read() {
      try {
        return new Uint8Array(await readFile(path));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    },
    async write(data) {
      await mkdir(dirname(path), { recursive: true, mode: 0o700 });
      const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
      try {
        await writeFile(temporary, data, { mode: 0o600 });
        await rename(temporary, path);
      } finally {
        await rm(temporary, { force: true });
      }
    },
    async remove() {
      await rm(path, { force: true });
    },
  };
}
