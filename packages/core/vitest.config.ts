import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'core',
    include: ['src/**/*.test.ts'],
    // Workers, isolation and time limits: see the root vitest.config.ts.
    isolate: false,
    testTimeout: 30_000,
  },
});
