import type { Migration } from 'kysely';
import * as identity from './20261125-0001-identity';
import * as portfolio from './20261125-0002-portfolio';
import * as marketData from './20261125-0003-market-data';
import * as activity from './20261125-0004-activity';
import * as heldPrices from './20261206-0005-held-prices';
import * as ledgerVersion from './20261206-0006-ledger-version';
import * as instrumentRequests from './20261206-0007-instrument-requests';
import * as manualAssetsAndCurrencies from './20261206-0008-manual-assets-and-currencies';
import * as interest from './20261206-0009-interest';
import * as notifications from './20261206-0010-notifications';
import * as costBasisMethod from './20261207-0011-cost-basis-method';
import * as backfilledObservations from './20261207-0012-backfilled-observations';

/**
 * Every migration, by name, in order. A static list rather than a folder scan, so bundlers and tsx see
 * every file. Append only: a migration that has run anywhere is never edited.
 */
export const migrations: Readonly<Record<string, Migration>> = {
  '20261125-0001-identity': identity,
  '20261125-0002-portfolio': portfolio,
  '20261125-0003-market-data': marketData,
  '20261125-0004-activity': activity,
  '20261206-0005-held-prices': heldPrices,
  '20261206-0006-ledger-version': ledgerVersion,
  '20261206-0007-instrument-requests': instrumentRequests,
  '20261206-0008-manual-assets-and-currencies': manualAssetsAndCurrencies,
  '20261206-0009-interest': interest,
  '20261206-0010-notifications': notifications,
  '20261207-0011-cost-basis-method': costBasisMethod,
  '20261207-0012-backfilled-observations': backfilledObservations,
};
