import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Recipe } from './recipe';
import { runTemplateDirectory } from './template-directory';
import { currentTestRun } from './test-run';

export interface ScratchDirectory {
  readonly path: string;
  remove(): Promise<void>;
}

/**
 * A fresh directory of its own under the system's temporary directory, removed by `remove()`. A
 * recipe's content (say, a migrated PGlite database) is copied from the run's template of it, or built
 * in place outside a run.
 */
export async function createScratchDirectory(
  options: { readonly prefix?: string; readonly recipe?: Recipe } = {},
): Promise<ScratchDirectory> {
  const { prefix = 'tickfolio-test-', recipe } = options;
  const run = currentTestRun();
  const template = recipe && run ? await runTemplateDirectory(run, recipe) : undefined;
  const path = await mkdtemp(join(tmpdir(), prefix));
  const scratch = { path, remove: () => rm(path, { recursive: true, force: true }) };
  try {
    if (template) await cp(template, path, { recursive: true });
    else await recipe?.build(path);
  } catch (error) {
    await scratch.remove();
    throw error;
  }
  return scratch;
}
