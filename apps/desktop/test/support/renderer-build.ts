import { execFile } from 'node:child_process';
import { access, mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const desktopDir = fileURLToPath(new URL('../..', import.meta.url));

/** The renderer build the server serves at /app (handed to it as DESK_DIR). */
export const RENDERER_DIR = join(desktopDir, 'dist', 'renderer');

/**
 * Builds the renderer when its build is missing or older than its sources (the same script `pnpm start`
 * runs), so the browser tests never drive a stale desk, and fails when no build came of it: that
 * script only warns, since a server may start without the desk, but a desk test may not.
 */
export async function ensureRendererBuild(): Promise<string> {
  await oneAtATime(() =>
    run(process.execPath, ['scripts/build-if-stale.mjs'], { cwd: desktopDir, maxBuffer: 16 << 20 }),
  );
  await access(join(RENDERER_DIR, 'index.html'));
  return RENDERER_DIR;
}

/** Held while a test process checks or makes the build: a directory, made atomically. */
const LOCK = join(desktopDir, 'dist', '.renderer-build.lock');
/** A lock this old was left by a run that was killed mid-build. */
const STALE_LOCK_MS = 10 * 60_000;

/**
 * Runs `work` while no other test process does: the browser test files run in parallel workers, and
 * two builds of a stale desk into one folder would empty it under each other.
 */
async function oneAtATime<T>(work: () => Promise<T>): Promise<T> {
  await mkdir(join(desktopDir, 'dist'), { recursive: true });
  for (;;) {
    try {
      await mkdir(LOCK);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const held = await stat(LOCK).catch(() => undefined);
      if (held && Date.now() - held.mtimeMs > STALE_LOCK_MS) await rm(LOCK, { recursive: true, force: true });
      await sleep(200);
    }
  }
  try {
    return await work();
  } finally {
    await rm(LOCK, { recursive: true, force: true });
  }
}
