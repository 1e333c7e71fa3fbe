import { type AuthSession, createAuthSession } from '../api/auth-session';
import { type ApiClient, createApiClient } from '../api/client';
import { normalizeServerUrl } from '../api/server-url';
import { createSessionStore, type SessionStore } from '../api/session-store';
import { type CliEnvironment, DEFAULT_SERVER_URL } from '../config';
import { CliError, EXIT } from '../errors';
import type { Output } from '../render/output';

/** What every command gets: its environment, where to write, and the API on demand. */
export interface CommandContext {
  readonly env: CliEnvironment;
  readonly out: Output;
  readonly now: () => number;
  /** --server, else TICKFOLIO_SERVER, else the server of the last login, else the default. */
  serverUrl(): Promise<string>;
  auth(): Promise<AuthSession>;
  /** A client signed in to the server; fails with exit 3 when there is no session for it. */
  api(): Promise<ApiClient>;
  /** The server URL once resolved (for error messages), else the best guess. */
  readonly lastServerUrl: string;
}

export function createCommandContext(
  env: CliEnvironment,
  out: Output,
  serverOption: () => string | undefined,
  now: () => number = Date.now,
): CommandContext {
  const store: SessionStore = createSessionStore(env.configDir);
  let resolved: string | undefined;
  let session: AuthSession | undefined;
  let client: ApiClient | undefined;
  const context: CommandContext = {
    env,
    out,
    now,
    get lastServerUrl() {
      return resolved ?? serverOption() ?? env.serverUrl ?? DEFAULT_SERVER_URL;
    },
    async serverUrl() {
      resolved ??= normalizeServerUrl(
        serverOption() ?? env.serverUrl ?? (await store.currentServer()) ?? DEFAULT_SERVER_URL,
      );
      return resolved;
    },
    async auth() {
      session ??= createAuthSession(await context.serverUrl(), store, now);
      return session;
    },
    async api() {
      const auth = await context.auth();
      if (!(await auth.current())) {
        throw new CliError(
          `You are not signed in to ${auth.serverUrl}.`,
          EXIT.auth,
          'Run `tickfolio login`.',
        );
      }
      client ??= createApiClient(auth);
      return client;
    },
  };
  return context;
}
