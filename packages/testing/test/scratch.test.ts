import { randomBytes } from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { createScratchDatabase, createScratchDirectory, type Recipe } from '../src';
import { TEST_ADMIN_URL } from '../src/postgres-admin';

/** Runs one query on a connection of its own to `url`. */
async function query(url: string, text: string): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}

/** A recipe that counts its builds, making its content with `make`. */
function countingRecipe(name: string, make: (target: string) => Promise<unknown>) {
  let builds = 0;
  const recipe: Recipe = {
    name,
    async build(target) {
      builds += 1;
      await make(target);
    },
  };
  return { recipe, builds: () => builds };
}

const failing: Recipe = { name: 'failing', build: () => Promise.reject(new Error('recipe failed')) };

/** Everything a test made, removed after the file. */
const cleanUps: (() => Promise<void>)[] = [];
afterAll(() => Promise.all(cleanUps.map((clean) => clean())));
/** Outside a test run (no global set-up): no templates. */
const outsideTestRun = () => vi.stubEnv('TICKFOLIO_TEST_RUN', '');
afterEach(() => vi.unstubAllEnvs());

describe('scratch databases', () => {
  const fruit = (url: string) =>
    query(url, `create table fruit (name text); insert into fruit values ('apple')`);
  async function scratch(recipe?: Recipe) {
    const database = await createScratchDatabase(recipe ? { recipe } : {});
    cleanUps.push(database.drop);
    return database;
  }

  it('starts empty without a recipe', async () => {
    const empty = await scratch();
    const tables = `select count(*)::int as n from pg_tables where schemaname = 'public'`;
    expect(await query(empty.url, tables)).toEqual([{ n: 0 }]);
  });

  it('copies a recipe from a template built once per run, each copy a database of its own', async () => {
    const { recipe, builds } = countingRecipe('fruit_once', fruit);
    const [first, second] = await Promise.all([scratch(recipe), scratch(recipe)]);
    const third = await scratch(recipe);
    expect(builds()).toBe(1);
    await query(first!.url, `insert into fruit values ('pear')`);
    expect(await query(first!.url, 'select name from fruit order by name')).toEqual([
      { name: 'apple' },
      { name: 'pear' },
    ]);
    for (const other of [second!, third]) {
      expect(await query(other.url, 'select name from fruit')).toEqual([{ name: 'apple' }]);
    }
  });

  it('builds a recipe in place outside a test run', async () => {
    outsideTestRun();
    const { recipe, builds } = countingRecipe('fruit_in_place', fruit);
    const database = await scratch(recipe);
    expect(builds()).toBe(1);
    expect(await query(database.url, 'select name from fruit')).toEqual([{ name: 'apple' }]);
  });

  it('drops a database whose build failed', async () => {
    outsideTestRun();
    const prefix = `tickfolio_failing_${randomBytes(4).toString('hex')}`;
    await expect(createScratchDatabase({ prefix, recipe: failing })).rejects.toThrow('recipe failed');
    const left = `select datname from pg_database where starts_with(datname, '${prefix}')`;
    expect(await query(TEST_ADMIN_URL, left)).toEqual([]);
  });
});

describe('scratch directories', () => {
  const fruit = (path: string) => writeFile(join(path, 'fruit.txt'), 'apple');
  const fruitIn = (path: string) => readFile(join(path, 'fruit.txt'), 'utf8');
  async function scratch(recipe: Recipe) {
    const directory = await createScratchDirectory({ recipe });
    cleanUps.push(directory.remove);
    return directory;
  }

  it('copies a recipe from a template built once per run, each copy a directory of its own', async () => {
    const { recipe, builds } = countingRecipe('fruit_dir_once', fruit);
    const [first, second] = await Promise.all([scratch(recipe), scratch(recipe)]);
    const third = await scratch(recipe);
    expect(builds()).toBe(1);
    await writeFile(join(first!.path, 'fruit.txt'), 'pear');
    expect(await fruitIn(first!.path)).toBe('pear');
    for (const other of [second!, third]) expect(await fruitIn(other.path)).toBe('apple');
  });

  it('builds a recipe in place outside a test run', async () => {
    outsideTestRun();
    const { recipe, builds } = countingRecipe('fruit_dir_in_place', fruit);
    const directory = await scratch(recipe);
    expect(builds()).toBe(1);
    expect(await fruitIn(directory.path)).toBe('apple');
  });

  it('removes a directory whose build failed', async () => {
    outsideTestRun();
    let built = '';
    const recipe: Recipe = {
      name: 'failing_dir',
      build: (path) => {
        built = path;
        return failing.build(path);
      },
    };
    await expect(createScratchDirectory({ recipe })).rejects.toThrow('recipe failed');
    await expect(stat(built)).rejects.toThrow();
  });
});
