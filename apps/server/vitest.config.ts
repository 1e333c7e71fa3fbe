import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'server',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'bench/**/*.test.ts'],
    // Workers, isolation and time limits: see the root vitest.config.ts.
    isolate: false,
    setupFiles: ['@tickfolio/testing/fresh-modules'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
