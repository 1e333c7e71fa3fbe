// Builds the renderer when its build is missing or older than its sources, so `pnpm start` on a fresh
// clone serves the desk at /app without a separate step, and a second start does not rebuild for
// nothing. A failed build is reported but does not stop the server from starting: /app then says how
// to build it, and the API works as before.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const built = join(root, 'dist', 'renderer', 'index.html');
// Written after a build: a build made for anything but production (React's development runtime, several
// times slower) is stale whatever its age.
const stamp = join(root, 'dist', 'renderer', 'build-info.json');
const inputs = ['src', 'vite.config.ts', 'package.json'];

/** The newest modification time under a file or directory. */
function newest(path) {
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  let max = info.mtimeMs;
  for (const name of readdirSync(path)) max = Math.max(max, newest(join(path, name)));
  return max;
}

const sources = Math.max(
  ...inputs
    .map((p) => join(root, p))
    .filter(existsSync)
    .map(newest),
);
const production = () => {
  try {
    return JSON.parse(readFileSync(stamp, 'utf8')).mode === 'production';
  } catch {
    return false;
  }
};
if (existsSync(built) && statSync(built).mtimeMs >= sources && production()) process.exit(0);

console.log('Building the advisors\u2019 desk (apps/desktop) for /app …');
// Always a production build, whatever NODE_ENV the caller runs with: vitest sets it to 'test', and Vite
// then builds React's development runtime into the desk.
const result = spawnSync('pnpm', ['run', 'build'], {
  cwd: root,
  stdio: 'inherit',
  shell: process.platform === 'win32',
  env: { ...process.env, NODE_ENV: 'production' },
});
if (result.status === 0) writeFileSync(stamp, `${JSON.stringify({ mode: 'production' })}\n`);
else {
  console.warn('The desk did not build; the server starts without it (/app says how to build it).');
}
