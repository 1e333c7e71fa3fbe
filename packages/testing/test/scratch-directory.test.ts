import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createScratchDirectory, type Recipe, type ScratchDirectory } from '../src';

/** A recipe that counts its builds: one file holding "apple". */
function countingRecipe(name: string) {
  let builds = 0;
  const recipe: Recipe = {
    name,
    async build(path) {
      builds += 1;
      await writeFile(join(path, 'fruit.txt'), 'apple');
    },
  };
  return { recipe, builds: () => builds };
}

const made: ScratchDirectory[] = [];
async function scratch(recipe?: Recipe): Promise<ScratchDirectory> {
  const directory = await createScratchDirectory(recipe ? { recipe } : {});
  made.push(directory);
  return directory;
}
afterAll(() => Promise.all(made.map((d) => d.remove())));

const fruit = (directory: ScratchDirectory) => readFile(join(directory.path, 'fruit.txt'), 'utf8');

describe('scratch directories', () => {
  it('copies a recipe from a template built once per run, each copy a directory of its own', async () => {
    const { recipe, builds } = countingRecipe('fruit_dir_once');
    const [first, second] = await Promise.all([scratch(recipe), scratch(recipe)]);
    const third = await scratch(recipe);
    expect(builds()).toBe(1);
    await writeFile(join(first!.path, 'fruit.txt'), 'pear');
    expect(await fruit(first!)).toBe('pear');
    for (const other of [second!, third]) expect(await fruit(other)).toBe('apple');
  });

  it('builds a recipe in place outside a test run', async () => {
    vi.stubEnv('TICKFOLIO_TEST_RUN', '');
    try {
      const { recipe, builds } = countingRecipe('fruit_dir_in_place');
      const directory = await scratch(recipe);
      expect(builds()).toBe(1);
      expect(await fruit(directory)).toBe('apple');
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('removes a directory whose build failed', async () => {
    vi.stubEnv('TICKFOLIO_TEST_RUN', '');
    try {
      let built = '';
      const failing: Recipe = {
        name: 'failing_dir',
        async build(path) {
          built = path;
          throw new Error('recipe failed');
        },
      };
      await expect(createScratchDirectory({ recipe: failing })).rejects.toThrow('recipe failed');
      await expect(stat(built)).rejects.toThrow();
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
