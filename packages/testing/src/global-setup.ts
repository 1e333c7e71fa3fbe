import { dropTemplateDatabases } from './template-database';
import { removeTemplateDirectories } from './template-directory';
import { beginTestRun } from './test-run';

/**
 * Vitest global set-up of the root config: begins a test run, so scratch databases and directories are
 * copied from the run's templates, and drops those templates (with any an interrupted run left behind)
 * when it ends.
 */
export default function setup(): () => Promise<void> {
  const run = beginTestRun();
  return async () => {
    await dropTemplateDatabases(run);
    await removeTemplateDirectories(run);
  };
}
