// Bundles the CLI into one plain JavaScript file, dist/tickfolio.js, so it starts without compiling
// TypeScript and runs from anywhere (a global link, an installed tarball): it needs no tsconfig, no
// workspace package and no node_modules at run time. ink and React are inside it, but are only
// evaluated when a command renders: esbuild turns the CLI's dynamic imports into lazy module
// initialisers, so `--version` and `--json` reads never run them.
import { chmod } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
/**
 * ink connects to React's developer tools only when DEV=true, through a package it does not depend on:
 * the bundle gets an empty stand-in, so the import resolves and nothing is loaded at start.
 */
const withoutDevtools = {
  name: 'without-react-devtools',
  setup(b) {
    b.onResolve({ filter: /^react-devtools-core$/ }, () => ({
      path: 'react-devtools-core',
      namespace: 'stub',
    }));
    b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({ contents: 'export default {};', loader: 'js' }));
  },
};

const outfile = process.argv.find((a) => a.startsWith('--outfile='))?.slice('--outfile='.length);

await build({
  absWorkingDir: root,
  entryPoints: ['src/main.ts'],
  outfile: outfile ?? 'dist/tickfolio.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20.19',
  jsx: 'automatic',
  // React's production build: smaller, quicker to load, and without development warnings.
  define: { 'process.env.NODE_ENV': '"production"' },
  plugins: [withoutDevtools],
  banner: {
    js: [
      '#!/usr/bin/env node',
      // React and other CommonJS dependencies call require() for Node's own modules; an ES module
      // bundle has no require of its own, so it gets one.
      "import { createRequire as __tickfolioCreateRequire } from 'node:module';",
      'const require = __tickfolioCreateRequire(import.meta.url);',
    ].join('\n'),
  },
  minify: !process.argv.includes('--no-minify'),
  legalComments: 'linked',
  sourcemap: 'linked',
  logLevel: 'warning',
});
await chmod(outfile ?? `${root}/dist/tickfolio.js`, 0o755);
