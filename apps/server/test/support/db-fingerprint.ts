import { openDatabase } from '@tickfolio/db';
import { sql } from 'kysely';

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
  'valuation_snapshots',
  'alert_rules',
  'notifications',
  'audit_log',
] as const;

/**
 * A digest of every table's full contents: equal digests mean nothing was written. Used to prove that
 * refused requests change nothing.
 */
export async function databaseFingerprint(url: string): Promise<Record<string, string>> {
  const handle = await openDatabase({ kind: 'postgres', url, max: 1 });
  try {
    const out: Record<string, string> = {};
    for (const table of TABLES) {
      const { rows } = await sql<{ digest: string | null; n: string }>`
        select md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as digest, count(*)::text as n
        from ${sql.table(table)} t`.execute(handle.db);
      out[table] = `${rows[0]?.n}:${rows[0]?.digest}`;
    }
    return out;
  } finally {
    await handle.close();
  }
}
