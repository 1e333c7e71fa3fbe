import { sql } from 'kysely';
import { atomically } from './atomically';
import type { Db } from './schema';

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** Months as [year, month 1–12]; 'YYYY-MM' inclusive at both ends. */
function monthsBetween(fromMonth: string, toMonth: string): Array<[number, number]> {
  const parse = (text: string): number => {
    const m = MONTH.exec(text);
    if (!m) throw new RangeError(`not a month (YYYY-MM): ${JSON.stringify(text)}`);
    return Number(m[1]) * 12 + Number(m[2]) - 1;
  };
  const from = parse(fromMonth);
  const to = parse(toMonth);
  if (to < from) throw new RangeError(`${toMonth} is before ${fromMonth}`);
  const months: Array<[number, number]> = [];
  for (let i = from; i <= to; i++) months.push([Math.floor(i / 12), (i % 12) + 1]);
  return months;
}

function monthStart(year: number, month: number): string {
  const next = month === 13 ? [year + 1, 1] : [year, month];
  return `${String(next[0]).padStart(4, '0')}-${String(next[1]).padStart(2, '0')}-01 00:00:00+00`;
}

/**
 * Creates the monthly partitions of price_history (UTC months, named price_history_yYYYYmMM) for every
 * month from..to ('YYYY-MM', inclusive) that lacks one. Rows of such a month already sitting in the
 * default partition are moved into the new partition, so this may run any time, also on a busy table.
 * Idempotent; returns the names created.
 */
export async function ensurePriceHistoryPartitions(
  db: Db,
  fromMonth: string,
  toMonth: string,
): Promise<string[]> {
  const created: string[] = [];
  for (const [year, month] of monthsBetween(fromMonth, toMonth)) {
    const name = `price_history_y${year}m${String(month).padStart(2, '0')}`;
    const made = await atomically(db, async (trx) => {
      // Two callers must not both create (or both move rows into) the same partition.
      await sql`select pg_advisory_xact_lock(hashtextextended('tickfolio.price_history_partitions', 0))`.execute(
        trx,
      );
      const { rows } = await sql<{
        exists: boolean;
      }>`select to_regclass(${name}) is not null as exists`.execute(trx);
      if (rows[0]?.exists) return false;
      const table = sql.id(name);
      const start = sql.lit(monthStart(year, month));
      const end = sql.lit(monthStart(year, month + 1));
      // Created detached, filled, then attached: attaching checks the default partition holds nothing
      // for this month, which creating it as a partition directly would fail on when it does.
      await sql`create table ${table} (like price_history including defaults including constraints)`.execute(
        trx,
      );
      await sql`
        with moved as (
          delete from price_history_default where as_of >= ${start} and as_of < ${end} returning *
        )
        insert into ${table} select * from moved`.execute(trx);
      await sql`alter table price_history attach partition ${table} for values from (${start}) to (${end})`.execute(
        trx,
      );
      return true;
    });
    if (made) created.push(name);
  }
  return created;
}

export interface PriceHistoryPartition {
  readonly name: string;
  /** PostgreSQL's text of the bound, e.g. FOR VALUES FROM (...) TO (...), or DEFAULT. */
  readonly bound: string;
}

export async function listPriceHistoryPartitions(db: Db): Promise<PriceHistoryPartition[]> {
  const { rows } = await sql<PriceHistoryPartition>`
    select c.relname as name, pg_get_expr(c.relpartbound, c.oid) as bound
    from pg_inherits i join pg_class c on c.oid = i.inhrelid
    where i.inhparent = 'price_history'::regclass
    order by c.relname`.execute(db);
  return rows;
}
