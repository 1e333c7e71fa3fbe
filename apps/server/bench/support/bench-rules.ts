import type { Db } from '@tickfolio/db';
import { sql } from 'kysely';

/**
 * The rules each investor gets, in turn: a 3 % move since the open, a value under 1 (never crossed), a
 * 1 % move within ten minutes. A ±0.05 % random walk seldom crosses them: what is measured is their
 * evaluation on every revaluation, not the deliveries.
 */
const BENCH_RULES = [
  { kind: 'portfolio_move', threshold: '3', window_seconds: null },
  { kind: 'value_below', threshold: '1', window_seconds: null },
  { kind: 'portfolio_move', threshold: '1', window_seconds: 600 },
] as const;

/** `perUser` rules for every investor, written straight to the database (the API would take minutes). */
export async function seedBenchRules(db: Db, perUser: number): Promise<number> {
  let added = 0;
  for (let i = 0; i < perUser; i++) {
    const rule = BENCH_RULES[i % BENCH_RULES.length]!;
    const result = await sql`
      insert into alert_rules (user_id, owner_id, kind, threshold, currency, window_seconds, hysteresis_percent)
      select id, id, ${rule.kind}, ${rule.threshold}, base_currency, ${rule.window_seconds}, 10
      from users where role = 'investor'`.execute(db);
    added += Number(result.numAffectedRows ?? 0n);
  }
  // Analysed now rather than by autovacuum in the middle of a measured phase: 30,000 new rows are past
  // its threshold, and its work would count against whichever phase it fell in.
  await sql`vacuum analyze alert_rules`.execute(db);
  return added;
}
