import { defineConfig } from 'vitest/config';

// One test run over every package; each package keeps its own vitest config.
export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*'],
  },
});
