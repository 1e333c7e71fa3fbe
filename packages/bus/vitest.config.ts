import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'bus',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Time limits: see the root vitest.config.ts.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
