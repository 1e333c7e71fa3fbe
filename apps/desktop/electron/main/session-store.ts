/**
 * Where the advisor's refresh token is kept between launches: encrypted with the operating system's
 * key store (Electron's safeStorage: Keychain, DPAPI, libsecret/kwallet) in one file in the user-data
 * folder. Electron sits behind two ports, so the logic is tested with a fake cipher and a fake file.
 */
export interface SecretCipher {
  /**
   * Whether tokens can be encrypted with a key the OS guards. False on Linux without a keyring, where
   * safeStorage would fall back to a key built into Chromium — no better than plain text.
   */
  isSecure(): boolean;
  encrypt(plain: string): Uint8Array;
  decrypt(sealed: Uint8Array): string;
}

export interface SecretFile {
  /** The file's bytes, or undefined when there is no file. */
  read(): Promise<Uint8Array | undefined>;
  /** Replaces the file whole (write to a temporary file, then rename), readable by the user alone. */
  write(data: Uint8Array): Promise<void>;
  remove(): Promise<void>;
}

export interface SessionStore {
  load(): Promise<string | null>;
  save(token: string | null): Promise<void>;
}

export function createSessionStore(cipher: SecretCipher, file: SecretFile): SessionStore {
  // Without a guarded key the token lives only as long as the process: the advisor signs in again
  // after a restart, which is better than a refresh token any local program could read.
  let inMemory: string | null = null;

  return {
    async load() {
      if (!cipher.isSecure()) return inMemory;
      const sealed = await file.read();
      if (sealed === undefined) return null;
      try {
        return cipher.decrypt(sealed);
      } catch {
        // Written under another OS key (a restored backup, a new keyring): useless, so it goes, and the
        // advisor signs in again.
        await file.remove();
        return null;
      }
    },
    async save(token) {
      if (!cipher.isSecure()) {
        inMemory = token;
        return;
      }
      if (token === null) await file.remove();
      else await file.write(cipher.encrypt(token));
    },
  };
}
