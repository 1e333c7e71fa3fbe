import { databaseFingerprint as fingerprintOf } from '@tickfolio/testing';

/** The tables a request could change (the price history, large and written only by the valuer, is not). */
const TABLES = [
  'users',
  'advisor_clients',
  'refresh_tokens',
  'api_clients',
  'accounts',
  'instruments',
  'transactions',
  'holdings',
  'latest_prices',
  'fx_rates',
  'held_prices',
  'valuation_snapshots',
  'alert_rules',
  'notifications',
  'audit_log',
] as const;

/**
 * A digest of every table's full contents: equal digests mean nothing was written. Used to prove that
 * refused requests change nothing.
 */
export function databaseFingerprint(url: string): Promise<Record<string, string>> {
  return fingerprintOf(url, TABLES);
}
