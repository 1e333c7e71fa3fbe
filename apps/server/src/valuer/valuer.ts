import {
  FX_SCALE,
  type FxQuote,
  formatDecimal,
  fxQuoteSchema,
  type IndexChanges,
  type PortfolioChangedEvent,
  PRICE_SCALE,
  type PriceQuote,
  type PriceUpdatedEvent,
  parseDecimal,
  portfolioChangedSubject,
  presentTotals,
  priceQuoteSchema,
  priceUpdatedSubject,
  type TotalsChange,
} from '@tickfolio/core';
import type { Db } from '@tickfolio/db';
import { type FxUpdatedEvent, fxUpdatedSubject } from '../bus/fx-updated-event';
import type { InboundPriceMessage, LoggedEvent, PortfolioEventLog, PriceMessageSource } from '../bus/ports';
import type { Logger } from '../logger';
import type { TotalsPatch } from '../portfolio/valuation-store';
import { createInstrumentResolver, UnusableQuoteError } from './instrument-resolver';
import type { PriceStore } from './price-store';
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
  /** The cache's fast path (ValuationStore.patchTotals). */
  patchTotals(ownerId: string, patch: TotalsPatch): Promise<void>;
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
 * The valuer: consumes PRICES, stores each quote (one transaction; idempotent), moves core's
 * incremental index, patches the cached totals of the owners it touched and publishes their
 * portfolio-changed events and a price-updated event to PORTFOLIO. It acks only after all of that.
 *
 * Exactly once in effect: the database write is idempotent (history keyed by instrument, asOf and
 * source; the latest price only moves forward), the index takes a quote only when the database made
 * it the latest and the index has nothing as new, and the events carry ids derived from the PRICES
 * sequence, so a redelivery re-publishes nothing new. A redelivered quote that the index already holds
 * (the process died after the commit, before the ack) re-announces the current totals under those ids.
 */
export function createValuer(deps: ValuerDeps) {
  const { db, store, events, log } = deps;
  const resolver = createInstrumentResolver(db);
  let state: ValuationState | undefined;
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

  /** Patches the cache and publishes one portfolio-changed event per owner; ids make re-publishing safe. */
  async function announce(
    changes: IndexChanges,
    cause: Cause,
    asOf: string,
    idBase: string,
  ): Promise<number> {
    const owners = ownersIn(changes);
    await Promise.all(
      [...owners].map(async ([ownerId, { portfolio, accounts }]) => {
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
      }),
    );
    return owners.size;
  }

  /** Current totals of everyone holding an instrument, as a change set (for a re-announce). */
  function holdersOf(instrumentId: string): IndexChanges {
    const s = state!;
    const portfolios = s.index.ownersHolding(instrumentId).flatMap((o) => s.index.portfolio(o) ?? []);
    return { portfolios, accounts: [] };
  }

  async function handlePrice(message: InboundPriceMessage, quote: PriceQuote): Promise<void> {
    const s = state!;
    const instrument = await resolver.resolve(quote);
    const { becameLatest } = await store.recordPrice(instrument.id, quote);
    const idBase = `price:${message.seq}`;
    const asOf = new Date(quote.asOf).toISOString();
    const cause: Cause = { kind: 'price', instrumentId: instrument.id };
    let changes: IndexChanges | undefined;
    if (becameLatest) {
      changes = s.applyPrice(instrument.id, becameLatest, {
        asOf: becameLatest.asOf,
        source: becameLatest.source,
      });
    } else {
      const applied = s.appliedPrice(instrument.id);
      // A redelivery of the quote the index holds: the first delivery may have died between the commit
      // and the ack, unannounced. Announce again under the same ids (the broker drops what it has).
      // A first delivery of a copy (another message id) is just a duplicate: nothing to say.
      if (
        message.deliveryCount > 1 &&
        applied &&
        applied.source === quote.source &&
        Date.parse(applied.asOf) === Date.parse(quote.asOf)
      ) {
        changes = holdersOf(instrument.id);
      }
    }
    if (!changes) return;
    await announce(changes, cause, asOf, idBase);
    const entry = s.index.price(instrument.id);
    if (!entry) return;
    const updated: PriceUpdatedEvent = {
      type: 'price.updated',
      instrumentId: instrument.id,
      price: formatDecimal(entry.price, PRICE_SCALE),
      previousClose: entry.previousClose === null ? null : formatDecimal(entry.previousClose, PRICE_SCALE),
      currency: instrument.currency,
      asOf,
      source: quote.source,
    };
    await events.publish(priceUpdatedSubject(instrument.id), updated, `${idBase}:price`);
  }

  async function handleFx(message: InboundPriceMessage, quote: FxQuote): Promise<void> {
    const s = state!;
    const current = await store.recordFx(quote);
    const asOf = new Date(quote.asOf).toISOString();
    const rate = { base: quote.base, quote: quote.quote, rate: parseDecimal(quote.rate, FX_SCALE) };
    let changes: IndexChanges | undefined;
    if (current) {
      changes = s.applyFx(rate, { asOf, source: quote.source });
    } else {
      const applied = s.appliedRate(quote.base, quote.quote);
      if (
        message.deliveryCount > 1 &&
        applied &&
        applied.source === quote.source &&
        Date.parse(applied.asOf) === Date.parse(quote.asOf)
      ) {
        // Re-announce: every owner's totals would be too many; owners are patched by the next tick.
        changes = { portfolios: [], accounts: [] };
      }
    }
    if (!changes) return;
    const idBase = `fx:${message.seq}`;
    await announce(changes, { kind: 'fx', base: quote.base, quote: quote.quote }, asOf, idBase);
    const updated: FxUpdatedEvent = {
      type: 'fx.updated',
      base: quote.base,
      quote: quote.quote,
      rate: formatDecimal(rate.rate, FX_SCALE),
      asOf,
      source: quote.source,
    };
    await events.publish(fxUpdatedSubject(quote.base, quote.quote), updated, `${idBase}:fx`);
  }

  async function handle(message: InboundPriceMessage): Promise<void> {
    try {
      await exclusive(async () => {
        const body = parseJson(message.data);
        if (message.subject.startsWith('prices.fx.'))
          await handleFx(message, parseOrPoison(fxQuoteSchema, body));
        else await handlePrice(message, parseOrPoison(priceQuoteSchema, body));
      });
    } catch (error) {
      if (error instanceof PoisonMessageError || error instanceof UnusableQuoteError) {
        log.warn(
          { seq: message.seq, subject: message.subject, reason: error.message },
          'poison price message',
        );
        try {
          await deps.deadLetters.add({
            subject: message.subject,
            originalSeq: message.seq,
            data: message.data,
            reason: error.message,
            deliveries: message.deliveryCount,
          });
          message.term(error.message);
        } catch (err) {
          log.error({ err, seq: message.seq }, 'dead-letter copy failed; retrying the message');
          message.nak(deps.retryDelayMs(message.deliveryCount));
        }
        return;
      }
      // Transient (database, cache, broker): try again later; past MaxDeliver the advisory dead-letters it.
      log.warn(
        { err: error, seq: message.seq, deliveries: message.deliveryCount },
        'price message failed; will retry',
      );
      message.nak(deps.retryDelayMs(message.deliveryCount));
      return;
    }
    await message.ack();
  }

  /**
   * Applies what another replica valued or wrote (seen on PORTFOLIO: prices, rates, ledger writes), so
   * this replica's index stays current; its own events change nothing (they are not newer).
   */
  function observe(logged: LoggedEvent): void {
    const s = state;
    if (!s) return;
    const e = logged.event;
    if (e.type === 'price.updated') {
      s.applyPrice(
        e.instrumentId,
        {
          price: parseDecimal(e.price, PRICE_SCALE),
          previousClose: e.previousClose === null ? null : parseDecimal(e.previousClose, PRICE_SCALE),
        },
        { asOf: e.asOf, source: e.source },
      );
    } else if (
      e.type === 'portfolio.changed' &&
      e.cause.kind === 'holding' &&
      logged.origin !== events.origin
    ) {
      // A ledger write served by another replica: read the owner's holdings again.
      void exclusive(() => s.syncOwner(db, e.ownerId)).catch((err) =>
        log.error({ err, ownerId: e.ownerId }, 'owner re-sync failed'),
      );
    } else if (e.type === 'fx.updated') {
      s.applyFx(
        { base: e.base, quote: e.quote, rate: parseDecimal(e.rate, FX_SCALE) },
        { asOf: e.asOf, source: e.source },
      );
    }
  }

  return {
    /** Rebuilds the index from the database, then consumes until stopped. */
    async start(): Promise<void> {
      state = await ValuationState.load(db);
      const stop = new AbortController();
      const done = deps.source.run(handle, stop.signal).catch((err) => log.error({ err }, 'valuer stopped'));
      running = { stop, done };
    },

    /** Finishes the message in hand, then stops consuming. */
    async stop(): Promise<void> {
      if (!running) return;
      running.stop.abort();
      await running.done;
      await turn;
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

    /** Totals from the index (for tests and diagnostics). */
    totals(ownerId: string): TotalsChange | undefined {
      return state?.index.portfolio(ownerId);
    },
  };
}

export type Valuer = ReturnType<typeof createValuer>;
