import {
  type BusEvent,
  type FxUpdatedEvent,
  fxUpdatedSubject,
  type InboundPriceMessage,
  type LoggedEvent,
  type PortfolioChangedEvent,
  type PortfolioEventLog,
  type PriceMessageSource,
  type PriceUpdatedEvent,
  portfolioChangedSubject,
  priceUpdatedSubject,
} from '@tickfolio/bus';
import {
  FX_SCALE,
  type FxQuote,
  formatDecimal,
  fxQuoteSchema,
  type IndexChanges,
  type Instrument,
  PRICE_SCALE,
  type PriceQuote,
  parseDecimal,
  presentTotals,
  priceQuoteSchema,
  type TotalsChange,
} from '@tickfolio/core';
import type { Db } from '@tickfolio/db';
import type { LiveValuations } from '../live/live-valuations';
import type { Logger } from '../logger';
import type { TotalsPatch } from '../portfolio/valuation-store';
import { createInstrumentResolver, UnusableQuoteError } from './instrument-resolver';
import type { PriceStore, StoredPrice } from './price-store';
import { createTotalsFlusher } from './totals-flusher';
import { ValuationState } from './valuation-state';

export interface ValuerDeps {
  readonly db: Db;
  readonly store: PriceStore;
  readonly source: PriceMessageSource;
  readonly events: PortfolioEventLog;
  readonly deadLetters: {
    add(entry: {
      subject: string;
      originalSeq: number;
      data: Uint8Array;
      reason: string;
      deliveries: number;
    }): Promise<void>;
  };
  /** The cache's fast path for one owner after a ledger write (ValuationStore.patchTotals). */
  patchTotals(ownerId: string, patch: TotalsPatch): Promise<void>;
  /** The cache's batched path for the owners live prices moved (ValuationStore.patchTotalsMany). */
  patchTotalsMany(
    owners: ReadonlyMap<string, string>,
    totalsOf: (ownerId: string, asOf: string) => TotalsPatch | undefined,
  ): Promise<void>;
  /** How often the owners prices moved are flushed to the cache. */
  readonly totalsFlushMs: number;
  /** Delay before the n-th redelivery after a transient failure (n from 1). */
  retryDelayMs(deliveryCount: number): number;
  readonly log: Logger;
}

type Cause = PortfolioChangedEvent['cause'];

const decoder = new TextDecoder();

/** Invalid input: the message can never be processed, so it goes to the dead-letter queue at once. */
class PoisonMessageError extends Error {
  override readonly name = 'PoisonMessageError';
}

function parseJson(data: Uint8Array): unknown {
  try {
    return JSON.parse(decoder.decode(data));
  } catch {
    throw new PoisonMessageError('body is not JSON');
  }
}

function parseOrPoison<T>(
  schema: {
    safeParse(
      v: unknown,
    ):
      | { success: true; data: T }
      | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } };
  },
  value: unknown,
): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
  throw new PoisonMessageError(`invalid message: ${issues}`.slice(0, 400));
}

/**
 * The valuer: consumes PRICES in batches (what has queued up while it worked), stores a batch's quotes
 * in one transaction (idempotent), moves core's incremental index in stream order and publishes one
 * price-updated (or fx-updated) event per quote that moved the index to PORTFOLIO. It acks only after
 * all of that. A poison message is dead-lettered on its own; a failed write or publish naks the
 * messages it concerns, never its batch's poison or its neighbours' verdicts.
 *
 * It publishes no per-owner event for a price: a tick moves ~10 % of all portfolios, far too many to
 * send through the broker. Every replica's live hub derives the totals its own subscribers watch from
 * its index when the price event arrives (see LiveValuations), and the owners a batch moved are
 * marked for the cache, which a flusher patches every totalsFlushMs in one pipelined round trip.
 * Ledger writes still publish the owner's portfolio-changed event (cause 'holding'): they are rare,
 * and other replicas re-read that owner's holdings on it.
 *
 * Exactly once in effect: the database write is idempotent (history keyed by instrument, asOf and
 * source; the latest price only moves forward), the index takes a quote only when the database made
 * it the latest and the index has nothing as new, and the events carry ids derived from the PRICES
 * sequence, so a redelivery applies nothing twice. A redelivered quote that the index already holds
 * (the process died after the commit, before the ack) publishes its price event again under the same
 * id (the broker drops it if it has it).
 */
export function createValuer(deps: ValuerDeps) {
  const { db, store, events, log } = deps;
  const resolver = createInstrumentResolver(db);
  let state: ValuationState | undefined;
  const flusher = createTotalsFlusher({
    intervalMs: deps.totalsFlushMs,
    totalsOf: (ownerId, asOf) => currentTotals(ownerId, asOf),
    ownersHolding: (instrumentId) => state?.holdersOf(instrumentId) ?? [],
    patchMany: deps.patchTotalsMany,
    log,
  });
  let running: { stop: AbortController; done: Promise<void> } | undefined;
  /** Owner syncs (ledger writes) and message handling take turns: both move the index. */
  let turn: Promise<unknown> = Promise.resolve();
  function exclusive<T>(work: () => Promise<T>): Promise<T> {
    const next = turn.then(work, work);
    turn = next.catch(() => {});
    return next;
  }

  function ownersIn(
    changes: IndexChanges,
  ): Map<string, { portfolio: TotalsChange; accounts: TotalsChange[] }> {
    const byOwner = new Map<string, { portfolio: TotalsChange; accounts: TotalsChange[] }>();
    for (const p of changes.portfolios) byOwner.set(p.id, { portfolio: p, accounts: [] });
    for (const a of changes.accounts) {
      let entry = byOwner.get(a.ownerId);
      if (!entry) {
        // An account moved without its portfolio total moving (rates that cancel out): still tell.
        const portfolio = state!.index.portfolio(a.ownerId);
        if (!portfolio) continue;
        entry = { portfolio, accounts: [] };
        byOwner.set(a.ownerId, entry);
      }
      entry.accounts.push(a);
    }
    return byOwner;
  }

  /** Patches the owner's cached totals and publishes its portfolio-changed event; the id makes re-publishing safe. */
  async function announceOwner(
    ownerId: string,
    portfolio: TotalsChange,
    accounts: readonly TotalsChange[],
    cause: Cause,
    asOf: string,
    idBase: string,
  ): Promise<void> {
    const totals = presentTotals(portfolio);
    const accountViews = accounts.map((a) => ({ accountId: a.id, ...presentTotals(a) }));
    await deps.patchTotals(ownerId, { asOf, totals, accounts: accountViews });
    const event: PortfolioChangedEvent = {
      type: 'portfolio.changed',
      ownerId,
      asOf,
      totals,
      accounts: accountViews,
      cause,
    };
    await events.publish(portfolioChangedSubject(ownerId), event, `${idBase}:${ownerId}`);
  }

  /** Patches the cache and publishes one portfolio-changed event per owner. */
  async function announce(changes: IndexChanges, cause: Cause, asOf: string, idBase: string): Promise<void> {
    await Promise.all(
      [...ownersIn(changes)].map(([ownerId, { portfolio, accounts }]) =>
        announceOwner(ownerId, portfolio, accounts, cause, asOf, idBase),
      ),
    );
  }

  /** The owner's current totals and account totals in the index, presented; undefined when unknown. */
  function currentTotals(ownerId: string, asOf: string, withAccounts = true): TotalsPatch | undefined {
    const s = state;
    const portfolio = s?.index.portfolio(ownerId);
    if (!s || !portfolio) return undefined;
    if (!withAccounts) return { asOf, totals: presentTotals(portfolio), accounts: [] };
    const accounts = s.accountsOf(ownerId).flatMap((id) => {
      const a = s.index.account(id);
      return a ? [{ accountId: id, ...presentTotals(a) }] : [];
    });
    return { asOf, totals: presentTotals(portfolio), accounts };
  }

  /** Marks the owners a price or rate moved, for the next cache flush. */
  function markMoved(changes: IndexChanges, asOf: string): void {
    for (const p of changes.portfolios) flusher.mark(p.id, asOf);
    for (const a of changes.accounts) flusher.mark(a.ownerId, asOf);
  }

  /** A message of a batch, read: a price for a known instrument, a rate, or why it can never be used. */
  type Decoded =
    | { readonly kind: 'price'; readonly quote: PriceQuote; readonly instrument: Instrument }
    | { readonly kind: 'fx'; readonly quote: FxQuote };

  type Outcome =
    | { readonly kind: 'ack' }
    | { readonly kind: 'poison'; readonly reason: string }
    | { readonly kind: 'retry'; readonly error: unknown };

  const ACK: Outcome = { kind: 'ack' };

  /** Reads a message; waits only when its instrument must be looked up in the database. */
  function decode(message: InboundPriceMessage): Decoded | Promise<Decoded> {
    const body = parseJson(message.data);
    if (message.subject.startsWith('prices.fx.'))
      return { kind: 'fx', quote: parseOrPoison(fxQuoteSchema, body) };
    const quote = parseOrPoison(priceQuoteSchema, body);
    const known = resolver.known(quote);
    if (known) return { kind: 'price', quote, instrument: known };
    return resolver.resolve(quote).then((instrument) => ({ kind: 'price', quote, instrument }));
  }

  function failure(error: unknown): Outcome {
    return error instanceof PoisonMessageError || error instanceof UnusableQuoteError
      ? { kind: 'poison', reason: error.message }
      : { kind: 'retry', error };
  }

  /**
   * Stores the batch's prices in one transaction. When that fails and the batch has more than one, each
   * is tried on its own, so one quote the database refuses does not hold up the others.
   */
  async function storePrices(
    items: readonly { index: number; instrumentId: string; quote: PriceQuote }[],
    outcomes: Outcome[],
  ): Promise<Map<number, StoredPrice>> {
    const stored = new Map<number, StoredPrice>();
    try {
      const results = await store.recordPrices(items);
      for (const [i, item] of items.entries()) stored.set(item.index, results[i]!);
      return stored;
    } catch (error) {
      if (items.length === 1) {
        outcomes[items[0]!.index] = { kind: 'retry', error };
        return stored;
      }
    }
    for (const item of items) {
      try {
        stored.set(item.index, (await store.recordPrices([item]))[0]!);
      } catch (error) {
        outcomes[item.index] = { kind: 'retry', error };
      }
    }
    return stored;
  }

  /** Whether a quote the database did not take is the one the index holds, redelivered (re-announce). */
  function isRedeliveryOfApplied(
    message: InboundPriceMessage,
    applied: { asOf: string; source: string } | undefined,
    quote: { asOf: string; source: string },
  ): boolean {
    return (
      message.deliveryCount > 1 &&
      applied !== undefined &&
      applied.source === quote.source &&
      Date.parse(applied.asOf) === Date.parse(quote.asOf)
    );
  }

  /**
   * Values a batch in stream order: stores its prices in one transaction, applies them to the index in
   * order, marks the owners they moved for the cache and publishes one price-updated (or fx-updated)
   * event per message that moved the index. Returns what to do with each message.
   */
  async function valueBatch(
    messages: readonly InboundPriceMessage[],
  ): Promise<{ outcomes: Outcome[]; announced: Promise<unknown> }> {
    const s = state!;
    const outcomes: Outcome[] = messages.map(() => ACK);
    const decoded: (Decoded | undefined)[] = [];
    for (const [i, message] of messages.entries()) {
      try {
        const d = decode(message);
        decoded.push(d instanceof Promise ? await d : d);
      } catch (error) {
        decoded.push(undefined);
        outcomes[i] = failure(error);
      }
    }
    const priceItems = decoded.flatMap((d, index) =>
      d?.kind === 'price' ? [{ index, instrumentId: d.instrument.id, quote: d.quote }] : [],
    );
    const storedPrices = await storePrices(priceItems, outcomes);

    const updates: { subject: string; event: BusEvent; id: string }[] = [];
    for (const [i, message] of messages.entries()) {
      const d = decoded[i];
      if (!d || outcomes[i]!.kind !== 'ack') continue;
      const asOf = new Date(d.quote.asOf).toISOString();
      if (d.kind === 'price') {
        const { instrument, quote } = d;
        const becameLatest = storedPrices.get(i)?.becameLatest;
        let worthAnnouncing = false;
        if (becameLatest) {
          worthAnnouncing = s.applyPrice(instrument.id, becameLatest, {
            asOf: becameLatest.asOf,
            source: becameLatest.source,
          });
        } else {
          // The first delivery may have died between the commit and the ack, unannounced: announce again
          // under the same id (the broker drops what it has). A first delivery of a copy (another message
          // id) is just a duplicate: nothing to say.
          worthAnnouncing = isRedeliveryOfApplied(message, s.appliedPrice(instrument.id), quote);
        }
        if (!worthAnnouncing) continue;
        const idBase = `price:${message.seq}`;
        flusher.markInstrument(instrument.id, asOf);
        const entry = s.index.price(instrument.id);
        if (!entry) continue;
        const updated: PriceUpdatedEvent = {
          type: 'price.updated',
          instrumentId: instrument.id,
          price: formatDecimal(entry.price, PRICE_SCALE),
          previousClose:
            entry.previousClose === null ? null : formatDecimal(entry.previousClose, PRICE_SCALE),
          currency: instrument.currency,
          asOf,
          source: quote.source,
        };
        updates.push({ subject: priceUpdatedSubject(instrument.id), event: updated, id: `${idBase}:price` });
      } else {
        const { quote } = d;
        let current: boolean;
        try {
          current = await store.recordFx(quote);
        } catch (error) {
          outcomes[i] = { kind: 'retry', error };
          continue;
        }
        const rate = { base: quote.base, quote: quote.quote, rate: parseDecimal(quote.rate, FX_SCALE) };
        let changes: IndexChanges | undefined;
        if (current) changes = s.applyFx(rate, { asOf, source: quote.source });
        else if (isRedeliveryOfApplied(message, s.appliedRate(quote.base, quote.quote), quote)) {
          // Re-announce: every owner's totals would be too many; owners are patched by the next tick.
          changes = { portfolios: [], accounts: [] };
        }
        if (!changes) continue;
        const idBase = `fx:${message.seq}`;
        markMoved(changes, asOf);
        const updated: FxUpdatedEvent = {
          type: 'fx.updated',
          base: quote.base,
          quote: quote.quote,
          rate: formatDecimal(rate.rate, FX_SCALE),
          asOf,
          source: quote.source,
        };
        updates.push({
          subject: fxUpdatedSubject(quote.base, quote.quote),
          event: updated,
          id: `${idBase}:fx`,
        });
      }
    }

    // Sent now, in stream order on one connection (PORTFOLIO keeps each instrument's updates in order,
    // also across batches); the broker's confirmations are awaited by the settling, not by the next batch.
    const announced = Promise.all(updates.map((u) => events.publish(u.subject, u.event, u.id)));
    return { outcomes, announced };
  }

  /** Batches valued whose announcements the broker has not confirmed yet (stop waits for them). */
  const unsettled = new Set<Promise<void>>();

  /** Values a batch, then settles each message: ack, dead-letter (poison) or nak (transient failure). */
  async function handleBatch(messages: readonly InboundPriceMessage[]): Promise<void> {
    let valued: { outcomes: Outcome[]; announced: Promise<unknown> };
    try {
      valued = await exclusive(() => valueBatch(messages));
    } catch (error) {
      valued = { outcomes: messages.map(() => ({ kind: 'retry', error })), announced: Promise.resolve() };
    }
    // The next batch is valued while this one's announcements are confirmed. Stored but not (all)
    // announced: its messages are retried, and a redelivery announces again under the same ids (or
    // not at all, when a newer price has been announced since).
    const settling = valued.announced
      .then(
        () => valued.outcomes,
        (error: unknown) =>
          valued.outcomes.map((o): Outcome => (o.kind === 'ack' ? { kind: 'retry', error } : o)),
      )
      .then((outcomes) => settle(messages, outcomes));
    unsettled.add(settling);
    void settling.finally(() => unsettled.delete(settling));
  }

  /** Acks, dead-letters (poison) or naks (transient failure) each message of a batch. */
  async function settle(messages: readonly InboundPriceMessage[], outcomes: readonly Outcome[]) {
    await Promise.all(
      messages.map(async (message, i) => {
        const outcome = outcomes[i]!;
        if (outcome.kind === 'ack') return message.ack();
        if (outcome.kind === 'poison') {
          log.warn(
            { seq: message.seq, subject: message.subject, reason: outcome.reason },
            'poison price message',
          );
          try {
            await deps.deadLetters.add({
              subject: message.subject,
              originalSeq: message.seq,
              data: message.data,
              reason: outcome.reason,
              deliveries: message.deliveryCount,
            });
            message.term(outcome.reason);
          } catch (err) {
            log.error({ err, seq: message.seq }, 'dead-letter copy failed; retrying the message');
            message.nak(deps.retryDelayMs(message.deliveryCount));
          }
          return;
        }
        // Transient (database, cache, broker): try again later; past MaxDeliver the advisory dead-letters it.
        log.warn(
          { err: outcome.error, seq: message.seq, deliveries: message.deliveryCount },
          'price message failed; will retry',
        );
        message.nak(deps.retryDelayMs(message.deliveryCount));
      }),
    );
  }
  /**
   * Applies what another replica valued or wrote (seen on PORTFOLIO: prices, rates, ledger writes), so
   * this replica's index stays current. Returns false for a price or rate older than the one the index
   * holds: replicas value batches side by side, so one may announce a price after another replica's
   * newer one, and that is no news to a subscriber.
   */
  function observe(logged: LoggedEvent): boolean {
    const s = state;
    if (!s) return true;
    const e = logged.event;
    // This replica's own prices and rates are in its index already (applied before they were published).
    const own = logged.origin === events.origin;
    if (e.type === 'price.updated') {
      if (!own) {
        const price = parseDecimal(e.price, PRICE_SCALE);
        const previousClose = e.previousClose === null ? null : parseDecimal(e.previousClose, PRICE_SCALE);
        s.applyPrice(e.instrumentId, { price, previousClose }, { asOf: e.asOf, source: e.source });
      }
      return s.isCurrentPrice(e.instrumentId, e.asOf);
    }
    if (e.type === 'fx.updated') {
      const rate = { base: e.base, quote: e.quote, rate: parseDecimal(e.rate, FX_SCALE) };
      if (!own) s.applyFx(rate, { asOf: e.asOf, source: e.source });
      return s.isCurrentRate(e.base, e.quote, e.asOf);
    }
    if (e.type === 'portfolio.changed' && e.cause.kind === 'holding' && !own) {
      // A ledger write served by another replica: read the owner's holdings again.
      void exclusive(() => s.syncOwner(db, e.ownerId)).catch((err) =>
        log.error({ err, ownerId: e.ownerId }, 'owner re-sync failed'),
      );
    }
    return true;
  }

  return {
    /** Rebuilds the index from the database, then consumes until stopped. */
    async start(): Promise<void> {
      state = await ValuationState.load(db);
      flusher.start();
      const stop = new AbortController();
      const done = deps.source
        .run(handleBatch, stop.signal)
        .catch((err) => log.error({ err }, 'valuer stopped'));
      running = { stop, done };
    },

    /** Finishes the message in hand, then stops consuming. */
    async stop(): Promise<void> {
      if (!running) return;
      running.stop.abort();
      await running.done;
      await turn;
      await Promise.all(unsettled);
      await flusher.stop();
      running = undefined;
    },

    /** After a ledger write: re-syncs the owner's holdings in the index and announces the new totals. */
    ownerChanged(ownerId: string, cause: { accountId: string } | null = null): Promise<void> {
      return exclusive(async () => {
        if (!state) return;
        const changes = await state.syncOwner(db, ownerId);
        const portfolio = state.index.portfolio(ownerId);
        if (!portfolio) return;
        const withOwner: IndexChanges = changes.portfolios.some((p) => p.id === ownerId)
          ? changes
          : { portfolios: [portfolio], accounts: changes.accounts };
        const accountId = cause?.accountId ?? changes.accounts[0]?.id ?? '';
        await announce(
          withOwner,
          { kind: 'holding', accountId },
          new Date().toISOString(),
          `holding:${ownerId}:${Date.now()}`,
        );
      });
    },

    observe,

    /** What a replica's live hub derives its subscribers' totals from (this process's index). */
    valuations: {
      observe,
      ownersHolding: (instrumentId: string) => state?.holdersOf(instrumentId) ?? [],
      totals: (ownerId: string, withAccounts: boolean) => currentTotals(ownerId, '', withAccounts),
      newestPrice: (ownerId: string) => state?.newestPriceOf(ownerId),
    } satisfies LiveValuations,

    /** The owner's totals in the index with the newest price in them (the cache's live check). */
    liveTotals(ownerId: string) {
      const s = state;
      if (!s) return undefined;
      const newest = s.newestPriceOf(ownerId);
      const totals = currentTotals(ownerId, newest?.asOf ?? new Date(0).toISOString());
      return totals && { ...totals, newestPrice: newest };
    },

    /** Totals from the index (for tests and diagnostics). */
    totals(ownerId: string): TotalsChange | undefined {
      return state?.index.portfolio(ownerId);
    },
  };
}

export type Valuer = ReturnType<typeof createValuer>;
