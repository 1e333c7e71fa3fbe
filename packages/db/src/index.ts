/**
 * Tickfolio's persistence: PostgreSQL or embedded PGlite through kysely. Repositories are plain
 * functions taking a Db (the database or a transaction on it) first; amounts cross as core's bigints.
 */
export { atomically } from './atomically';
export { type DatabaseHandle, openDatabase } from './database';
export { constraintViolation, IdempotencyConflictError, isDatabaseUnavailable } from './errors';
export { appliedMigrations, migrateToLatest } from './migrate';
export { DEFAULT_POSTGRES_TIMEOUTS, type PostgresTimeouts } from './postgres-pool';
export { ensurePriceHistoryPartitions, listPriceHistoryPartitions } from './price-history-partitions';
export {
  createQuoteInstrumentResolver,
  type QuoteInstrumentResolver,
  UnusableQuoteError,
} from './quote-instrument-resolver';
export * as accounts from './repositories/accounts';
export * as advisorClients from './repositories/advisor-clients';
export * as alerts from './repositories/alerts';
export * as apiClients from './repositories/api-clients';
export * as auditLog from './repositories/audit-log';
export * as dailyCloses from './repositories/daily-closes';
export * as fxRates from './repositories/fx-rates';
export * as heldPrices from './repositories/held-prices';
export * as holdings from './repositories/holdings';
export * as instrumentRequests from './repositories/instrument-requests';
export * as instrumentResolution from './repositories/instrument-resolution';
export * as instruments from './repositories/instruments';
export * as intradayObservations from './repositories/intraday-observations';
export * as notifications from './repositories/notifications';
export * as prices from './repositories/prices';
export * as refreshTokens from './repositories/refresh-tokens';
export * as transactions from './repositories/transactions';
export * as users from './repositories/users';
export * as valuationSnapshots from './repositories/valuation-snapshots';
export * as webhooks from './repositories/webhooks';
export type { Db } from './schema';
