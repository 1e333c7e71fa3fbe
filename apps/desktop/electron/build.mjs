// Bundles the main process and the preload into one CommonJS file each under dist/electron. The
// preload must be a single file: a sandboxed preload can require nothing but Electron's own modules.
import { build } from 'esbuild';

const dev = process.argv.includes('--dev');
// The smoke test bundles into a folder of its own.
const outdir =
  process.argv.find((a) => a.startsWith('--outdir='))?.slice('--outdir='.length) ?? 'dist/electron';

await build({
  entryPoints: { main: 'electron/main/index.ts', preload: 'electron/preload/index.ts' },
  outdir,
  outExtension: { '.js': '.cjs' },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  // Electron 40 runs Node.js 24 in the main process.
  target: 'node22',
  external: ['electron'],
  sourcemap: dev ? 'inline' : 'linked',
  minify: !dev,
  logLevel: 'warning',
});
