import type pg from 'pg';
import { databaseUrl, dropDatabase, withAdmin } from './postgres-admin';
import { isLeftoverRun } from './test-run';

/** What a scratch database starts with: every database made from one recipe starts identical. */
export interface DatabaseRecipe {
  /** Names the content (lower-case letters, digits and `_`, at most 30): part of the template's name. */
  readonly name: string;
  /** Fills an empty database, given its URL, and closes every connection it opened. */
  build(url: string): Promise<void>;
}

const PREFIX = 'tftpl_';
const RECIPE_NAME = /^[a-z0-9_]{1,30}$/;

function templateName(run: string, recipe: DatabaseRecipe): string {
  if (!RECIPE_NAME.test(recipe.name))
    throw new Error(`recipe name "${recipe.name}" must match ${RECIPE_NAME}`);
  return `${PREFIX}${run}_${recipe.name}`;
}

/** Templates this process has made or found, so each is looked up once. */
const known = new Map<string, Promise<string>>();

/**
 * The name of the run's template of `recipe`, built by the first process that asks for it. Copying a
 * template is a file copy on the server, far cheaper than migrating and loading data for each test file.
 */
export function runTemplate(run: string, recipe: DatabaseRecipe): Promise<string> {
  const name = templateName(run, recipe);
  let template = known.get(name);
  if (!template) {
    template = withAdmin((admin) => buildOnce(admin, name, recipe)).then(() => name);
    known.set(name, template);
    template.catch(() => known.delete(name));
  }
  return template;
}

async function buildOnce(admin: pg.Client, name: string, recipe: DatabaseRecipe): Promise<void> {
  // Workers of one run ask at once: one builds while the others wait here. The lock is the session's,
  // released when this connection closes, even if the process dies.
  await admin.query('select pg_advisory_lock(hashtext($1))', [name]);
  const found = await admin.query('select 1 from pg_database where datname = $1', [name]);
  if (found.rowCount) return;
  // Built under another name and renamed when complete, so a builder that dies leaves no half template.
  const partial = `${name}_partial`;
  await dropDatabase(admin, partial);
  await admin.query(`create database ${partial}`);
  try {
    await recipe.build(databaseUrl(partial));
    // A copy needs its template untouched: nobody may connect to it any more.
    await admin.query(`alter database ${partial} allow_connections false`);
    await admin.query(`alter database ${partial} rename to ${name}`);
  } catch (error) {
    await dropDatabase(admin, partial);
    throw error;
  }
}

/** Drops the run's templates, and those of runs that ended without dropping theirs. */
export async function dropTemplates(run: string): Promise<void> {
  await withAdmin(async (admin) => {
    const { rows } = await admin.query<{ datname: string }>(
      'select datname from pg_database where starts_with(datname, $1)',
      [PREFIX],
    );
    const now = Date.now();
    for (const { datname } of rows) {
      const owner = datname.slice(PREFIX.length).split('_')[0]!;
      if (owner === run || isLeftoverRun(owner, now)) await dropDatabase(admin, datname);
    }
  });
}
