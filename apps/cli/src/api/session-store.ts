import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { CliError, EXIT } from '../errors';

const sessionSchema = z.object({
  email: z.string(),
  accessToken: z.string(),
  accessTokenExpiresAt: z.string(),
  refreshToken: z.string(),
  refreshTokenExpiresAt: z.string(),
});
export type Session = z.infer<typeof sessionSchema>;

const fileSchema = z.object({
  /** The server of the latest login: the default when neither --server nor TICKFOLIO_SERVER is given. */
  currentServer: z.string().optional(),
  /** Sessions by server URL: a token only ever goes back to the server that issued it. */
  sessions: z.record(z.string(), sessionSchema).default({}),
});
type SessionFile = z.infer<typeof fileSchema>;

const FILE_NAME = 'session.json';
const LOCK_NAME = 'session.lock';
/** A lock older than this was left by a process that died mid-refresh. */
const STALE_LOCK_MS = 15_000;
const LOCK_WAIT_MS = 10_000;

/**
 * The session file in the user's config directory: tokens per server, mode 0600 in a 0700 directory,
 * replaced atomically. A lock file serialises refreshes between CLI processes (refresh tokens rotate;
 * spending one twice revokes the whole family).
 */
export function createSessionStore(configDir: string) {
  const path = join(configDir, FILE_NAME);
  const lockPath = join(configDir, LOCK_NAME);

  /**
   * The file's sessions. A damaged file is an error for reads (silently "not signed in" would hide
   * it); `forWriting` takes it as empty, so a login or logout writes a good one over it.
   */
  async function load(forWriting = false): Promise<SessionFile> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { sessions: {} };
      throw error;
    }
    const parsed = fileSchema.safeParse(safeJson(text));
    if (parsed.success) return parsed.data;
    if (forWriting) return { sessions: {} };
    throw new CliError(
      `The session file ${path} is damaged, so no session can be read from it.`,
      EXIT.auth,
      'Run `tickfolio login` to write a new one.',
    );
  }

  async function save(file: SessionFile): Promise<void> {
    await mkdir(configDir, { recursive: true, mode: 0o700 });
    const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
    const handle = await open(temporary, 'wx', 0o600);
    try {
      await handle.writeFile(`${JSON.stringify(file, null, 2)}\n`);
    } finally {
      await handle.close();
    }
    await chmod(temporary, 0o600); // whatever the umask
    await rename(temporary, path);
  }

  return {
    path,
    async currentServer(): Promise<string | undefined> {
      return (await load()).currentServer;
    },
    async get(server: string): Promise<Session | undefined> {
      return (await load()).sessions[server];
    },
    async put(server: string, session: Session): Promise<void> {
      const file = await load(true);
      await save({ currentServer: server, sessions: { ...file.sessions, [server]: session } });
    },
    async remove(server: string): Promise<void> {
      const file = await load(true);
      const { [server]: _removed, ...sessions } = file.sessions;
      await save({ currentServer: file.currentServer === server ? undefined : file.currentServer, sessions });
    },
    /** Runs fn while holding the refresh lock (waits for another process's refresh to finish). */
    async withLock<T>(fn: () => Promise<T>): Promise<T> {
      await mkdir(configDir, { recursive: true, mode: 0o700 });
      const deadline = Date.now() + LOCK_WAIT_MS;
      for (;;) {
        try {
          await (await open(lockPath, 'wx', 0o600)).close();
          break;
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
          const age = await stat(lockPath).then(
            (s) => Date.now() - s.mtimeMs,
            () => 0,
          );
          if (age > STALE_LOCK_MS) await rm(lockPath, { force: true });
          else if (Date.now() > deadline)
            break; // proceed unlocked rather than hang
          else await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
      try {
        return await fn();
      } finally {
        await rm(lockPath, { force: true });
      }
    },
  };
}

export type SessionStore = ReturnType<typeof createSessionStore>;

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
