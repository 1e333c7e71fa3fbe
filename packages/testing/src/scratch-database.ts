import { randomBytes } from 'node:crypto';
import { databaseUrl, dropDatabase, withAdmin } from './postgres-admin';
import type { Recipe } from './recipe';
import { runTemplate } from './template-database';
import { currentTestRun } from './test-run';

export interface ScratchDatabase {
  readonly url: string;
  drop(): Promise<void>;
}

export interface ScratchOptions {
  /** Starts the name, to tell whose a leftover database was. */
  readonly prefix?: string;
  /** The database's content; without one it starts empty. */
  readonly recipe?: Recipe;
}

/**
 * A fresh PostgreSQL database of its own on the machine's server, dropped by `drop()`. A recipe's content
 * is copied from the run's template of it (see template-database.ts), or built in place outside a run.
 */
export async function createScratchDatabase(options: ScratchOptions = {}): Promise<ScratchDatabase> {
  const { prefix = 'tickfolio_test', recipe } = options;
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const run = currentTestRun();
  const template = recipe && run ? await runTemplate(run, recipe) : undefined;
  await withAdmin((admin) =>
    admin.query(template ? `create database ${name} template ${template}` : `create database ${name}`),
  );
  const scratch = { url: databaseUrl(name), drop: () => withAdmin((admin) => dropDatabase(admin, name)) };
  if (recipe && !template) {
    try {
      await recipe.build(scratch.url);
    } catch (error) {
      await scratch.drop();
      throw error;
    }
  }
  return scratch;
}
