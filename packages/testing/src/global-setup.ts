import { dropTemplates } from './template-database';
import { beginTestRun } from './test-run';

/**
 * Vitest global set-up of the root config: begins a test run, so scratch databases are copied from the
 * run's templates, and drops those templates (with any an interrupted run left behind) when it ends.
 */
export default function setup(): () => Promise<void> {
  const run = beginTestRun();
  return () => dropTemplates(run);
}
