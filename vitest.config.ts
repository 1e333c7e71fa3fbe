import { defineConfig } from 'vitest/config';

/**
 * One test run over every package; each package keeps its own vitest config.
 *
 * Workers: vitest's default is one fewer than the cores, which on a 2-core machine is a single worker,
 * so the files ran one after another while the CPU mostly idled: most test time is spent waiting on
 * PostgreSQL, Redis, NATS and sockets. Four workers keep both cores busy (measured on 2 cores: the
 * server tests took half as long with four workers as with one; eight were slower than four). The test
 * files are independent (each has its own scratch database, Redis key prefix and stream prefix), so any
 * of them may run beside any other.
 *
 * Isolation: the projects run their files in shared workers (`isolate: false`) with our own modules
 * evaluated afresh for each file (@tickfolio/testing/fresh-modules): a worker loads the third-party
 * packages once instead of once per file, which was nearly half of the server tests' CPU time.
 *
 * Time limits (in each project's config): generous, 60 s a test and 120 s a hook, so the suite holds
 * with a second copy of it running beside it on the same two cores; waits inside tests are for
 * conditions (vi.waitFor) with limits of their own, never fixed sleeps.
 */
export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*'],
    maxWorkers: 4,
    // Scratch PostgreSQL databases are copied from templates built once per run (packages/testing).
    globalSetup: ['packages/testing/src/global-setup.ts'],
  },
});
