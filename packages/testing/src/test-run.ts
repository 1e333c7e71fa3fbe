import { randomBytes } from 'node:crypto';

/**
 * The variable holding the id of the test run under way. The global set-up sets it in its own
 * environment, which every worker and every process a test spawns inherits: templates are made per run
 * and dropped when the run ends, so two runs side by side never share one.
 */
const RUN_ENV = 'TICKFOLIO_TEST_RUN';

/** How long a run's leftovers are kept before a later run drops them (a run killed before its teardown). */
const LEFTOVER_AGE_MS = 24 * 3600_000;

/** The run under way, or undefined outside the root config's global set-up (a bench, a lone project). */
export function currentTestRun(): string | undefined {
  return process.env[RUN_ENV] || undefined;
}

/** Starts a run: a new id, begun now (its first 9 characters, base 36), in this process's environment. */
export function beginTestRun(): string {
  const run = `${Date.now().toString(36).padStart(9, '0')}${randomBytes(3).toString('hex')}`;
  process.env[RUN_ENV] = run;
  return run;
}

/** Whether a run began long enough ago that whatever it left behind is garbage. */
export function isLeftoverRun(run: string, now: number): boolean {
  const began = Number.parseInt(run.slice(0, 9), 36);
  return Number.isFinite(began) && now - began > LEFTOVER_AGE_MS;
}
