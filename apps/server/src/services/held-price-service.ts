import type { PriceEventPublisher } from '@tickfolio/bus';
import type { CurrencyCode } from '@tickfolio/core';
import { atomically, auditLog, type Db, heldPrices, instruments } from '@tickfolio/db';
import type { AdminActor } from './admin-service';
import { ConflictError, NotFoundError } from './not-found';

type HeldPrice = heldPrices.HeldPrice;

/** A held price or rate as an admin sees it: what was quoted, against what, and what became of it. */
export interface HeldPriceView {
  readonly id: string;
  readonly kind: 'price' | 'fx';
  /** An instrument's quote: the instrument, its symbol and currency. Null for a rate. */
  readonly instrumentId: string | null;
  readonly symbol: string | null;
  readonly currency: CurrencyCode | null;
  /** A rate: units of `quote` per `base`. Null for an instrument's quote. */
  readonly base: CurrencyCode | null;
  readonly quote: CurrencyCode | null;
  /** The held price or rate (decimal text), its instant and source. */
  readonly price: string;
  readonly asOf: string;
  readonly source: string;
  /** The last accepted price it was compared with. */
  readonly referencePrice: string;
  readonly referenceAsOf: string;
  readonly reason: string;
  readonly status: heldPrices.HoldStatus;
  readonly heldAt: string;
  readonly resolution: heldPrices.HoldResolution | null;
  readonly resolvedBy: string | null;
  readonly resolvedAt: string | null;
}

function toView(held: HeldPrice, symbols: ReadonlyMap<string, string>): HeldPriceView {
  const common = {
    id: held.id,
    kind: held.kind,
    asOf: held.quote.asOf,
    source: held.quote.source,
    referencePrice: held.reference.price,
    referenceAsOf: held.reference.asOf,
    reason: held.reason,
    status: held.status,
    heldAt: held.heldAt,
    resolution: held.resolution,
    resolvedBy: held.resolvedBy,
    resolvedAt: held.resolvedAt,
  };
  if (held.kind === 'fx') {
    const { base, quote, rate } = held.quote;
    return { ...common, instrumentId: null, symbol: null, currency: null, base, quote, price: rate };
  }
  const instrumentId = held.quote.instrument.instrumentId ?? null;
  return {
    ...common,
    instrumentId,
    symbol: (instrumentId && symbols.get(instrumentId)) ?? null,
    currency: held.quote.currency,
    base: null,
    quote: null,
    price: held.quote.price,
  };
}

export interface HeldPriceServiceDeps {
  readonly db: Db;
  /** PRICES: where a released price goes, to the valuer, as the fetcher would have published it. */
  readonly publisher: PriceEventPublisher;
  readonly now: () => Date;
}

/**
 * The admin's side of the price quarantine: the fetcher holds prices that jumped beyond its guard's limit;
 * an admin lists them and releases one (published to the valuer, so portfolios move by it) or rejects it
 * (dropped). Each decision is audited in the transaction that takes it, and only a hold still open can be
 * decided, once: a hold confirmed by a second source meanwhile answers CONFLICT.
 */
export function createHeldPriceService(deps: HeldPriceServiceDeps) {
  const { db } = deps;

  async function views(held: readonly HeldPrice[]): Promise<HeldPriceView[]> {
    const ids = new Set<string>();
    for (const h of held) {
      if (h.kind === 'price' && h.quote.instrument.instrumentId) ids.add(h.quote.instrument.instrumentId);
    }
    const found = await instruments.findInstrumentsByIds(db, [...ids]);
    const symbols = new Map(found.map((i) => [i.id, i.symbol]));
    return held.map((h) => toView(h, symbols));
  }

  /** Why a hold could not be ended: it does not exist, or it is no longer open. */
  async function notOpen(trx: Db, holdId: string): Promise<never> {
    const hold = await heldPrices.findHold(trx, holdId);
    if (!hold) throw new NotFoundError('held price');
    throw new ConflictError(`the price is no longer held (${hold.status})`);
  }

  async function decide(holdId: string, decision: 'release' | 'reject', actor: AdminActor) {
    const decided = await atomically(db, async (trx) => {
      // Ending the hold locks its row until commit: whoever decides first is the only one who acts.
      const ended = await heldPrices.resolveHold(trx, holdId, {
        status: decision === 'release' ? 'released' : 'rejected',
        resolution: 'admin',
        resolvedBy: actor.actorId,
        at: deps.now(),
      });
      if (!ended) return notOpen(trx, holdId);
      await auditLog.appendAudit(trx, {
        actorId: actor.actorId,
        requestId: actor.requestId,
        action: `held_price.${decision}`,
        entity: 'held_price',
        entityId: holdId,
        before: { status: 'held' },
        after: { status: ended.status },
      });
      // Published before the commit: if the broker refuses, the hold stays open and nothing is audited.
      if (decision === 'release') {
        if (ended.kind === 'fx') await deps.publisher.publishFx(ended.quote);
        else await deps.publisher.publishQuote(ended.quote);
      }
      return ended;
    });
    return (await views([decided]))[0]!;
  }

  return {
    async list(query: heldPrices.HoldQuery): Promise<{ items: HeldPriceView[]; total: number }> {
      const [held, total] = await Promise.all([
        heldPrices.listHolds(db, query),
        heldPrices.countHolds(db, query.status),
      ]);
      return { items: await views(held), total };
    },

    /** Publishes the held price to the valuer: portfolios holding the instrument move by it. */
    release: (holdId: string, actor: AdminActor) => decide(holdId, 'release', actor),

    /** Drops the held price: it is never published. */
    reject: (holdId: string, actor: AdminActor) => decide(holdId, 'reject', actor),
  };
}
