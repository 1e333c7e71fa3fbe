import { FX_SCALE, type FxQuote, PRICE_SCALE, type PriceQuote } from '@tickfolio/core';
import { type Selectable, sql } from 'kysely';
import { atomically } from '../atomically';
import { instant, normalizeDecimal, readCurrency, toIso, toOptionalIso } from '../codec';
import type { Db, HeldPricesTable } from '../schema';

/**
 * Held prices: quotes and rates the fetcher's guard found plausible but too far from the last accepted
 * price to apply unconfirmed. A held quote is kept as the decimal-string quote it arrived as (core's
 * PriceQuote / FxQuote, exact), because releasing it means publishing exactly that quote.
 */

export const HOLD_STATUSES = ['held', 'released', 'rejected', 'superseded'] as const;
/** held: waiting; released: published; rejected: dropped; superseded: a newer suspicious quote took its place. */
export type HoldStatus = (typeof HOLD_STATUSES)[number];

/**
 * How a hold ended. confirmed: a second source (or the next full refresh) reported a price near it;
 * admin: an admin released or rejected it; contradicted: a newer price near the old level arrived;
 * superseded: a newer suspicious quote for the same instrument or pair is held instead.
 */
export type HoldResolution = 'confirmed' | 'admin' | 'contradicted' | 'superseded';

/** The price a held quote was compared with: the last accepted one. */
export interface HoldReference {
  /** Decimal text (a price at PRICE_SCALE, a rate at FX_SCALE). */
  readonly price: string;
  readonly asOf: string;
}

/** What is held: an instrument's quote (resolved to our instrument id) or an FX rate. */
export type HeldQuote =
  | { readonly kind: 'price'; readonly quote: PriceQuote }
  | { readonly kind: 'fx'; readonly quote: FxQuote };

export type HeldPrice = HeldQuote & {
  readonly id: string;
  readonly reference: HoldReference;
  /** Why it was held, in words (the move and the limit). */
  readonly reason: string;
  readonly status: HoldStatus;
  readonly heldAt: string;
  readonly resolution: HoldResolution | null;
  /** The source that confirmed or contradicted it, or the admin's user id. */
  readonly resolvedBy: string | null;
  readonly resolvedAt: string | null;
};

export type NewHold = HeldQuote & { readonly reference: HoldReference; readonly reason: string };

function toHeldQuote(row: Selectable<HeldPricesTable>): HeldQuote {
  const asOf = toIso(row.as_of);
  if (row.kind === 'fx') {
    return {
      kind: 'fx',
      quote: {
        base: readCurrency(row.base!),
        quote: readCurrency(row.quote!),
        rate: normalizeDecimal(row.price, FX_SCALE),
        asOf,
        source: row.source,
      },
    };
  }
  return {
    kind: 'price',
    quote: {
      instrument: { instrumentId: row.instrument_id! },
      price: normalizeDecimal(row.price, PRICE_SCALE),
      ...(row.previous_close === null
        ? {}
        : { previousClose: normalizeDecimal(row.previous_close, PRICE_SCALE) }),
      currency: readCurrency(row.currency!),
      asOf,
      source: row.source,
      kind: row.price_kind as PriceQuote['kind'],
    },
  };
}

function toHeldPrice(row: Selectable<HeldPricesTable>): HeldPrice {
  return {
    ...toHeldQuote(row),
    id: row.id,
    reference: {
      price: normalizeDecimal(row.reference_price, row.kind === 'fx' ? FX_SCALE : PRICE_SCALE),
      asOf: toIso(row.reference_as_of),
    },
    reason: row.reason,
    status: row.status as HoldStatus,
    heldAt: toIso(row.held_at),
    resolution: row.resolution as HoldResolution | null,
    resolvedBy: row.resolved_by,
    resolvedAt: toOptionalIso(row.resolved_at),
  };
}

function holdRow(hold: NewHold) {
  const common = {
    as_of: instant(hold.quote.asOf),
    source: hold.quote.source,
    reference_price: hold.reference.price,
    reference_as_of: instant(hold.reference.asOf),
    reason: hold.reason,
  };
  if (hold.kind === 'fx') {
    return { ...common, kind: 'fx', base: hold.quote.base, quote: hold.quote.quote, price: hold.quote.rate };
  }
  const instrumentId = hold.quote.instrument.instrumentId;
  if (instrumentId === undefined) throw new TypeError('a held quote must name our instrument id');
  return {
    ...common,
    kind: 'price',
    instrument_id: instrumentId,
    currency: hold.quote.currency,
    price_kind: hold.quote.kind,
    price: hold.quote.price,
    previous_close: hold.quote.previousClose ?? null,
  };
}

/** Marks the open hold of the quote's instrument or pair superseded; returns its id. */
async function supersedeOpenHold(db: Db, hold: NewHold, at: string): Promise<string | undefined> {
  const row = await db
    .updateTable('held_prices')
    .set({ status: 'superseded', resolution: 'superseded', resolved_by: hold.quote.source, resolved_at: at })
    .where('status', '=', 'held')
    .where((eb) =>
      hold.kind === 'fx'
        ? eb.and([
            eb('kind', '=', 'fx'),
            eb('base', '=', hold.quote.base),
            eb('quote', '=', hold.quote.quote),
          ])
        : eb.and([eb('kind', '=', 'price'), eb('instrument_id', '=', hold.quote.instrument.instrumentId!)]),
    )
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

/** The instrument or pair a hold is for, as one text: what holders of the same thing take turns on. */
function subjectOf(hold: HeldQuote): string {
  return hold.kind === 'fx'
    ? `held_prices:${hold.quote.base}/${hold.quote.quote}`
    : `held_prices:${hold.quote.instrument.instrumentId}`;
}

/**
 * Holds a quote: the instrument's or pair's open hold, if any, is superseded by it (one open hold each,
 * which a unique index enforces). All or nothing. Holders of the same instrument or pair take turns on a
 * transaction-scoped advisory lock, so two fetcher replicas holding at once supersede each other in
 * turn instead of colliding on the index.
 */
export async function holdPrice(
  db: Db,
  hold: NewHold,
  at: string | Date = new Date(),
): Promise<{ readonly held: HeldPrice; readonly superseded: string | undefined }> {
  const resolvedAt = instant(at);
  const values = { ...holdRow(hold), held_at: resolvedAt };
  return atomically(db, async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext(${subjectOf(hold)}))`.execute(trx);
    const superseded = await supersedeOpenHold(trx, hold, resolvedAt);
    const row = await trx.insertInto('held_prices').values(values).returningAll().executeTakeFirstOrThrow();
    return { held: toHeldPrice(row), superseded };
  });
}

/** Every open hold (at most one per instrument and pair, so a bounded set). */
export async function listOpenHolds(db: Db): Promise<HeldPrice[]> {
  const rows = await db
    .selectFrom('held_prices')
    .selectAll()
    .where('status', '=', 'held')
    .orderBy('held_at')
    .orderBy('id')
    .execute();
  return rows.map(toHeldPrice);
}

export interface HoldQuery {
  readonly status: HoldStatus;
  readonly limit: number;
  readonly offset?: number;
}

/** Holds in one status, the most recently held first. */
export async function listHolds(db: Db, query: HoldQuery): Promise<HeldPrice[]> {
  const rows = await db
    .selectFrom('held_prices')
    .selectAll()
    .where('status', '=', query.status)
    .orderBy('held_at', 'desc')
    .orderBy('id')
    .limit(query.limit)
    .offset(query.offset ?? 0)
    .execute();
  return rows.map(toHeldPrice);
}

export async function countHolds(db: Db, status: HoldStatus): Promise<number> {
  const row = await db
    .selectFrom('held_prices')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('status', '=', status)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function findHold(db: Db, id: string): Promise<HeldPrice | undefined> {
  const row = await db.selectFrom('held_prices').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toHeldPrice(row);
}

export interface HoldOutcome {
  readonly status: 'released' | 'rejected';
  readonly resolution: Exclude<HoldResolution, 'superseded'>;
  readonly resolvedBy: string;
  readonly at?: string | Date;
}

/**
 * Ends a hold that is still open and returns it as it is now; undefined when it is not open (never held,
 * or already ended). The row stays locked until `db`'s transaction ends, so a caller can publish a
 * released quote before committing: whoever ends a hold first is the only one who acts on it.
 */
export async function resolveHold(db: Db, id: string, outcome: HoldOutcome): Promise<HeldPrice | undefined> {
  const row = await db
    .updateTable('held_prices')
    .set({
      status: outcome.status,
      resolution: outcome.resolution,
      resolved_by: outcome.resolvedBy,
      resolved_at: instant(outcome.at ?? new Date()),
    })
    .where('id', '=', id)
    .where('status', '=', 'held')
    .returningAll()
    .executeTakeFirst();
  return row && toHeldPrice(row);
}
