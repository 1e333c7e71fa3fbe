import type { Migration } from 'kysely';
import * as identity from './20261125-0001-identity';
import * as portfolio from './20261125-0002-portfolio';
import * as marketData from './20261125-0003-market-data';
import * as activity from './20261125-0004-activity';

/**
 * Every migration, by name, in order. A static list rather than a folder scan, so bundlers and tsx see
 * every file. Append only: a migration that has run anywhere is never edited.
 */
export const migrations: Readonly<Record<string, Migration>> = {
  '20261125-0001-identity': identity,
  '20261125-0002-portfolio': portfolio,
  '20261125-0003-market-data': marketData,
  '20261125-0004-activity': activity,
};
