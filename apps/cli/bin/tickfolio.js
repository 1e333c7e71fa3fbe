#!/usr/bin/env node
// Runs the TypeScript entry through tsx, with this package's tsconfig (JSX) from any working directory.
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

// React's production build: smaller and quicker to load; development warnings mean nothing to a user.
process.env.NODE_ENV ??= 'production';

register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
await import('../src/main.ts');
