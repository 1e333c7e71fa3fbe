import { buildOnce } from './build-once';
import { databaseUrl, dropDatabase, withAdmin } from './postgres-admin';
import { type Recipe, templateName } from './recipe';
import { isLeftoverRun } from './test-run';

const PREFIX = 'tftpl_';

/**
 * The name of the run's template database of `recipe`, built by the first process that asks for it.
 * Copying a template is a file copy on the server, far cheaper than migrating and loading data for each
 * test file.
 */
export async function runTemplate(run: string, recipe: Recipe): Promise<string> {
  const name = templateName(PREFIX, run, recipe);
  await buildOnce(
    name,
    () =>
      withAdmin(
        async (admin) =>
          (await admin.query('select 1 from pg_database where datname = $1', [name])).rowCount === 1,
      ),
    () =>
      withAdmin(async (admin) => {
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
      }),
  );
  return name;
}

/** Drops the run's template databases, and those of runs that ended without dropping theirs. */
export async function dropTemplateDatabases(run: string): Promise<void> {
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
