import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildOnce } from './build-once';
import { type Recipe, templateName } from './recipe';
import { isLeftoverRun } from './test-run';

const PREFIX = 'tickfolio-tpl-';

/** The path of the run's template directory of `recipe`, built by the first process that asks for it. */
export async function runTemplateDirectory(run: string, recipe: Recipe): Promise<string> {
  const path = join(tmpdir(), templateName(PREFIX, run, recipe));
  await buildOnce(
    path,
    () =>
      stat(path).then(
        () => true,
        () => false,
      ),
    async () => {
      // Built beside it and renamed when complete, so a builder that dies leaves no half template.
      const partial = `${path}.partial-${randomBytes(4).toString('hex')}`;
      try {
        await mkdir(partial);
        await recipe.build(partial);
        await rename(partial, path);
      } finally {
        await rm(partial, { recursive: true, force: true });
      }
    },
  );
  return path;
}

/** Removes the run's template directories, and those of runs that ended without removing theirs. */
export async function removeTemplateDirectories(run: string): Promise<void> {
  const now = Date.now();
  for (const entry of await readdir(tmpdir())) {
    if (!entry.startsWith(PREFIX)) continue;
    const owner = entry.slice(PREFIX.length).split('_')[0]!;
    if (owner === run || isLeftoverRun(owner, now)) {
      await rm(join(tmpdir(), entry), { recursive: true, force: true });
    }
  }
}
