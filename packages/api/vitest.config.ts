import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'api',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    // Time limits: see the root vitest.config.ts.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
