import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'cli',
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'test/**/*.test.ts', 'test/**/*.test.tsx'],
    globalSetup: ['test/support/global-setup.ts'],
    // The test files share one server, and the live-view tests move its prices: files run one at a
    // time, so no file sees another's price change land between two of its reads.
    fileParallelism: false,
    // Time limits: see the root vitest.config.ts.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
