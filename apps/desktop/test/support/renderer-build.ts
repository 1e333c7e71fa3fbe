import { execFile } from 'node:child_process';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
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
  await run(process.execPath, ['scripts/build-if-stale.mjs'], { cwd: desktopDir, maxBuffer: 16 << 20 });
  await access(join(RENDERER_DIR, 'index.html'));
  return RENDERER_DIR;
}
