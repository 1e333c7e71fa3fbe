import {
  costedPositions,
  customPeriod,
  DEFAULT_COST_BASIS_METHOD,
  dayNumber,
  fifoLots,
  PERIOD_KEYS,
  type Period,
  PriceSeries,
  periodFor,
  periodPerformance,
  realizedByYear,
  type Transaction,
  toMinorUnitString,
  txDay,
  VALUE_SCALE,
  type ValueHistory,
} from '@tickfolio/core';
import { accounts, dailyCloses, instruments } from '@tickfolio/db';
import type { Principal } from '../auth/principal';
import type { HistoryCache } from '../performance/history-cache';
import { type LedgerInputs, readPerformanceInputs, valueHistoryOf } from '../performance/performance-inputs';
import { lotView, periodView, saleView, yearLineView, yearTotalView } from '../performance/performance-view';
import type { AccessPolicy } from './access-policy';
import { InvalidRequestError, NotFoundError } from './not-found';
import { ownerOf } from './owner-of';
import type { ServiceDeps } from './service-deps';

export interface PerformanceQuery {
  readonly ownerId?: string;
  readonly accountId?: string;
  /** One holding: this instrument (within accountId if given), measured on its own. */
  readonly instrumentId?: string;
  /** The last day (YYYY-MM-DD); default today (UTC). */
  readonly asOf?: string;
  /** A custom period (from, asOf] besides the standard ones. */
  readonly from?: string;
  /** An instrument to compare with (its price return over the same periods). */
  readonly benchmarkId?: string;
}

/**
 * "How am I doing": value history, returns, gains, lots and realized gains of one owner (or one of their
 * accounts), derived from the ledger and the price and FX history (core's ValueHistory and friends;
 * conventions in docs/performance.md). A whole portfolio through today is answered from the owner's
 * kept history (`histories`, brought current); an account, a holding or an earlier day is derived
 * afresh. Reads are checked against the access policy first.
 */
export function createPerformanceService(deps: ServiceDeps, access: AccessPolicy, histories: HistoryCache) {
  /** The owner whose data the query reads, once the caller may read it. */
  async function ownerFor(principal: Principal, query: { ownerId?: string; accountId?: string }) {
    let owner: string;
    if (query.accountId === undefined) {
      owner = ownerOf(principal, query.ownerId);
      await access.assertRead(principal, owner, 'portfolio');
    } else {
      // The account names its owner (as for portfolio.holdings); a foreign account answers like a missing one.
      const account = await accounts.findAccountById(deps.db, query.accountId);
      if (!account || (query.ownerId !== undefined && account.ownerId !== query.ownerId)) {
        throw new NotFoundError('account');
      }
      owner = account.ownerId;
      await access.assertRead(principal, owner, 'account');
    }
    return owner;
  }

  async function load(principal: Principal, query: { ownerId?: string; accountId?: string }) {
    const owner = await ownerFor(principal, query);
    const inputs = await readPerformanceInputs(deps.db, owner, query.accountId);
    if (!inputs) throw new NotFoundError(query.accountId === undefined ? 'portfolio' : 'account');
    return inputs;
  }

  /**
   * What a query is answered from: the ledger read and its value history through a day. The owner's kept
   * history (brought current) for the whole portfolio through today, when `keep`; anything else (one
   * account, an earlier day, one holding measured on its own from the closes) derived afresh.
   */
  async function sourceOf(
    principal: Principal,
    query: { ownerId?: string; accountId?: string },
    through: string,
    keep: boolean,
  ): Promise<{ inputs: LedgerInputs; history(instrumentId?: string): ValueHistory }> {
    if (keep && query.accountId === undefined && through === todayOf()) {
      const kept = await histories.get(await ownerFor(principal, query), through);
      if (!kept) throw new NotFoundError('portfolio');
      return { inputs: kept.inputs, history: () => kept.history };
    }
    const inputs = await load(principal, query);
    return { inputs, history: (instrumentId) => valueHistoryOf(inputs, through, instrumentId) };
  }

  /** Today's date (UTC), as the series name their last day. */
  function todayOf(): string {
    return deps.now().toISOString().slice(0, 10);
  }

  /**
   * The last day of the series: today (UTC) unless asked for an earlier one. A day after tomorrow (the
   * date line) is refused: there is nothing to value yet, and a far one would be a very long series.
   */
  function asOfDay(asOf: string | undefined): string {
    const today = todayOf();
    if (asOf === undefined) return today;
    if (dayNumber(asOf) > dayNumber(today) + 1) {
      throw new InvalidRequestError('AS_OF_IN_FUTURE', 'asOf is after today');
    }
    return asOf;
  }

  /** The ledger up to and including a day. */
  function ledgerThrough(inputs: LedgerInputs, through: string): Transaction[] {
    const last = dayNumber(through);
    return inputs.transactions.filter((t) => txDay(t) <= last);
  }

  function holdingOf(inputs: LedgerInputs, instrumentId: string) {
    const instrument = inputs.instruments.get(instrumentId)!;
    return { instrumentId, symbol: instrument.symbol, currency: instrument.currency };
  }

  function symbolOf(inputs: LedgerInputs, id: string): string {
    return inputs.instruments.get(id)?.symbol ?? id;
  }

  return {
    async performance(principal: Principal, query: PerformanceQuery) {
      const through = asOfDay(query.asOf);
      // One holding is measured on its own, from the closes: its history is derived afresh.
      const source = await sourceOf(principal, query, through, query.instrumentId === undefined);
      const { inputs } = source;
      // A holding is an instrument the ledger names (in the account, if one was named).
      if (query.instrumentId !== undefined && !inputs.instruments.has(query.instrumentId)) {
        throw new NotFoundError('holding');
      }
      const history = source.history(query.instrumentId);
      const inception = history.length > 0 ? history.dateAt(0) : null;
      const periods: Period[] = PERIOD_KEYS.map((k) => periodFor(k, through, inception));
      if (query.from !== undefined) {
        if (query.from > through) throw new InvalidRequestError('PERIOD_REVERSED', 'from is after asOf');
        periods.push(customPeriod(query.from, through, inception));
      }
      let benchmark: { instrumentId: string; symbol: string; series: PriceSeries } | null = null;
      if (query.benchmarkId !== undefined) {
        const [found] = await instruments.findInstrumentsByIds(deps.db, [query.benchmarkId]);
        if (!found) throw new NotFoundError('instrument');
        const closes = await dailyCloses.listDailyCloses(deps.db, [found.id]);
        benchmark = { instrumentId: found.id, symbol: found.symbol, series: new PriceSeries(closes) };
      }
      const last = history.length - 1;
      const cash = last >= 0 ? [...history.cashAt(last)] : [];
      return {
        ownerId: inputs.ownerId,
        accountId: query.accountId ?? null,
        holding: query.instrumentId === undefined ? null : holdingOf(inputs, query.instrumentId),
        currency: inputs.currency,
        asOf: through,
        inception,
        benchmark: benchmark && { instrumentId: benchmark.instrumentId, symbol: benchmark.symbol },
        cash: cash
          .map(([currency, units]) => ({ currency, amount: toMinorUnitString(units, VALUE_SCALE, currency) }))
          .sort((a, b) => (a.currency < b.currency ? -1 : 1)),
        periods: periods.map((p) =>
          periodView(periodPerformance(history, p, benchmark?.series), inputs.currency),
        ),
        missing: history.missing(),
      };
    },

    async lots(principal: Principal, query: { ownerId?: string; accountId?: string; asOf?: string }) {
      const inputs = await load(principal, query);
      const { lots } = fifoLots(ledgerThrough(inputs, asOfDay(query.asOf)), inputs.instruments);
      return {
        ownerId: inputs.ownerId,
        lots: lots.map((l) =>
          lotView(l, symbolOf(inputs, l.instrumentId), inputs.instruments.get(l.instrumentId)!.currency),
        ),
      };
    },

    async realized(principal: Principal, query: { ownerId?: string; accountId?: string; asOf?: string }) {
      const through = asOfDay(query.asOf);
      const source = await sourceOf(principal, query, through, true);
      const { inputs } = source;
      const ledger = ledgerThrough(inputs, through);
      // Each sale by its account's method: the lots it consumed (FIFO) or the average cost it took.
      const { disposals } = costedPositions(ledger, inputs.instruments, inputs.costBasisMethods);
      const history = source.history();
      const { lines, totals } = realizedByYear(disposals, ledger, (c, day) => history.rateOn(c, day));
      return {
        ownerId: inputs.ownerId,
        currency: inputs.currency,
        accounts: [...inputs.accountNames]
          .map(([accountId, name]) => ({
            accountId,
            name,
            costBasisMethod: inputs.costBasisMethods.get(accountId) ?? DEFAULT_COST_BASIS_METHOD,
          }))
          .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.accountId < b.accountId ? -1 : 1)),
        sales: disposals.map((d) => saleView(d, symbolOf(inputs, d.instrumentId))),
        years: lines.map(yearLineView),
        totals: totals.map((t) => yearTotalView(t, inputs.currency)),
      };
    },
  };
}
