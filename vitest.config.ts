import { defineConfig } from 'vitest/config';

// One test run over every package; each package keeps its own vitest config.
export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*'],
    // Scratch PostgreSQL databases are copied from templates built once per run (packages/testing).
    globalSetup: ['packages/testing/src/global-setup.ts'],
  },
});
