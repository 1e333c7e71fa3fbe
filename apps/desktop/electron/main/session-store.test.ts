import { describe, expect, it } from 'vitest';
import { createSessionStore, type SecretCipher, type SecretFile } from './session-store';

/** A reversible stand-in for safeStorage that marks what it sealed, so a test sees no plain text. */
function fakeCipher(secure = true): SecretCipher {
  return {
    isSecure: () => secure,
    encrypt: (plain) => new TextEncoder().encode(`sealed:${[...plain].reverse().join('')}`),
    decrypt: (sealed) => {
      const text = new TextDecoder().decode(sealed);
      if (!text.startsWith('sealed:')) throw new Error('not ours');
      return [...text.slice('sealed:'.length)].reverse().join('');
    },
  };
}

function fakeFile(initial?: string): SecretFile & { contents(): string | undefined } {
  let data: Uint8Array | undefined = initial === undefined ? undefined : new TextEncoder().encode(initial);
  return {
    read: async () => data,
    write: async (bytes) => {
      data = bytes;
    },
    remove: async () => {
      data = undefined;
    },
    contents: () => (data === undefined ? undefined : new TextDecoder().decode(data)),
  };
}

describe('createSessionStore', () => {
  it('keeps the token encrypted in the file and reads it back', async () => {
    const file = fakeFile();
    const store = createSessionStore(fakeCipher(), file);
    await store.save('refresh-token-123');
    expect(file.contents()).toBe('sealed:321-nekot-hserfer');
    expect(await createSessionStore(fakeCipher(), file).load()).toBe('refresh-token-123');
  });

  it('has no session before the first sign-in', async () => {
    expect(await createSessionStore(fakeCipher(), fakeFile()).load()).toBeNull();
  });

  it('removes the file on sign-out', async () => {
    const file = fakeFile();
    const store = createSessionStore(fakeCipher(), file);
    await store.save('t');
    await store.save(null);
    expect(file.contents()).toBeUndefined();
    expect(await store.load()).toBeNull();
  });

  it('drops a file it cannot decrypt and reports no session', async () => {
    const file = fakeFile('garbage');
    expect(await createSessionStore(fakeCipher(), file).load()).toBeNull();
    expect(file.contents()).toBeUndefined();
  });

  it('without a guarded key keeps the token in memory only, never in the file', async () => {
    const file = fakeFile();
    const store = createSessionStore(fakeCipher(false), file);
    await store.save('t');
    expect(await store.load()).toBe('t');
    expect(file.contents()).toBeUndefined();
    expect(await createSessionStore(fakeCipher(false), file).load()).toBeNull();
  });
});
