import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createScratchDatabase, type Recipe, type ScratchDatabase } from '../src';
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

/** A recipe that counts its builds: a table holding one row. */
function countingRecipe(name: string) {
  let builds = 0;
  const recipe: Recipe = {
    name,
    async build(url) {
      builds += 1;
      await query(url, `create table fruit (name text); insert into fruit values ('apple')`);
    },
  };
  return { recipe, builds: () => builds };
}

const made: ScratchDatabase[] = [];
async function scratch(recipe?: Recipe): Promise<ScratchDatabase> {
  const database = await createScratchDatabase(recipe ? { recipe } : {});
  made.push(database);
  return database;
}
afterAll(() => Promise.all(made.map((d) => d.drop())));

describe('scratch databases', () => {
  it('starts empty without a recipe', async () => {
    const empty = await scratch();
    expect(
      await query(empty.url, `select count(*)::int as n from pg_tables where schemaname = 'public'`),
    ).toEqual([{ n: 0 }]);
  });

  it('copies a recipe from a template built once per run, each copy a database of its own', async () => {
    const { recipe, builds } = countingRecipe('fruit_once');
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
    vi.stubEnv('TICKFOLIO_TEST_RUN', '');
    try {
      const { recipe, builds } = countingRecipe('fruit_in_place');
      const database = await scratch(recipe);
      expect(builds()).toBe(1);
      expect(await query(database.url, 'select name from fruit')).toEqual([{ name: 'apple' }]);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('drops a database whose build failed', async () => {
    vi.stubEnv('TICKFOLIO_TEST_RUN', '');
    try {
      const prefix = `tickfolio_failing_${randomBytes(4).toString('hex')}`;
      const failing: Recipe = {
        name: 'failing',
        build: () => Promise.reject(new Error('recipe failed')),
      };
      await expect(createScratchDatabase({ prefix, recipe: failing })).rejects.toThrow('recipe failed');
      const left = `select datname from pg_database where starts_with(datname, '${prefix}')`;
      expect(await query(TEST_ADMIN_URL, left)).toEqual([]);
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
