import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'desktop',
    // The renderer's logic (formatting, sorting, connection state) is pure: node is enough.
    environment: 'node',
    include: [
      'bench/**/*.test.ts',
      'electron/**/*.test.ts',
      'src/**/*.test.ts',
      'src/**/*.test.tsx',
      'test/**/*.test.ts',
    ],
    // Time limits: see the root vitest.config.ts. The browser tests start Chromium on a busy machine.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
