import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSecretFile } from './secret-file';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tickfolio-secret-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('createSecretFile', () => {
  it('reads nothing before the first write', async () => {
    expect(await createSecretFile(join(dir, 'session.bin')).read()).toBeUndefined();
  });

  it('writes, replaces and removes the bytes, leaving no temporary file behind', async () => {
    const file = createSecretFile(join(dir, 'user-data', 'session.bin'));
    await file.write(new Uint8Array([1, 2, 3]));
    await file.write(new Uint8Array([4, 5]));
    expect(await file.read()).toEqual(new Uint8Array([4, 5]));
    expect(await readdir(join(dir, 'user-data'))).toEqual(['session.bin']);
    await file.remove();
    await file.remove();
    expect(await file.read()).toBeUndefined();
  });

  it.runIf(process.platform !== 'win32')('makes the file readable by its owner alone', async () => {
    const path = join(dir, 'session.bin');
    await createSecretFile(path).write(new Uint8Array([1]));
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });
});
