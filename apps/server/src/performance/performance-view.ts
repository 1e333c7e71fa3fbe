import {
  BASE_VALUE_SCALE,
  type CurrencyCode,
  type Disposal,
  dayString,
  formatDecimal,
  formatRate,
  type GainBreakdown,
  type Lot,
  type PeriodPerformance,
  QTY_SCALE,
  RATE_WORK_SCALE,
  type ReturnFigure,
  toMinorUnitString,
  VALUE_SCALE,
  type YearLine,
  type YearTotal,
} from '@tickfolio/core';

/**
 * What the performance procedures answer: amounts as decimal strings rounded half to even to the
 * currency's minor unit, rates as decimal fractions (0.1234 is 12.34 %) to 10 significant digits,
 * quantities as plain decimals, dates as YYYY-MM-DD.
 */
export interface ReturnView {
  readonly cumulative: string | null;
  /** Per year; null for periods under a year. */
  readonly annualized: string | null;
}

export interface MoneyWeightedView extends ReturnView {
  /** unique: one IRR; multiple: several rates zero the NPV (listed, none chosen); none: no IRR exists. */
  readonly status: 'unique' | 'multiple' | 'none';
  /** The IRR per year (one for unique, all for multiple, none for none). */
  readonly rates: readonly string[];
}

export interface GainView {
  readonly startValue: string;
  readonly endValue: string;
  readonly inflows: string;
  readonly outflows: string;
  readonly gain: string;
  readonly priceGain: string;
  readonly fxGain: string;
  readonly income: string;
  readonly costs: string;
  readonly realized: string;
  readonly unrealized: string;
}

export interface PeriodView {
  readonly key: string;
  readonly from: string;
  readonly to: string;
  readonly days: number;
  readonly clamped: boolean;
  readonly timeWeighted: ReturnView;
  readonly moneyWeighted: MoneyWeightedView;
  readonly benchmark: ReturnView | null;
  readonly gain: GainView;
}

const rate = (r: bigint | null): string | null => (r === null ? null : formatRate(r, RATE_WORK_SCALE));

function returnView(r: ReturnFigure): ReturnView {
  return { cumulative: rate(r.cumulative), annualized: rate(r.annualized) };
}

function gainView(g: GainBreakdown, currency: CurrencyCode): GainView {
  const m = (units: bigint) => toMinorUnitString(units, BASE_VALUE_SCALE, currency);
  return {
    startValue: m(g.startValue),
    endValue: m(g.endValue),
    inflows: m(g.inflows),
    outflows: m(g.outflows),
    gain: m(g.gain),
    priceGain: m(g.priceGain),
    fxGain: m(g.fxGain),
    income: m(g.income),
    costs: m(g.costs),
    realized: m(g.realized),
    unrealized: m(g.unrealized),
  };
}

export function periodView(p: PeriodPerformance, currency: CurrencyCode): PeriodView {
  const { irr } = p.moneyWeighted;
  return {
    key: p.period.key,
    from: dayString(p.period.from),
    to: dayString(p.period.to),
    days: p.period.to - p.period.from,
    clamped: p.period.clamped,
    timeWeighted: returnView(p.timeWeighted),
    moneyWeighted: {
      ...returnView(p.moneyWeighted),
      status: irr.status,
      rates: (irr.status === 'unique' ? [irr.rate] : irr.status === 'multiple' ? irr.rates : []).map((r) =>
        formatRate(r, RATE_WORK_SCALE),
      ),
    },
    benchmark: p.benchmark ? returnView(p.benchmark) : null,
    gain: gainView(p.gain, currency),
  };
}

const qty = (units: bigint) => formatDecimal(units, QTY_SCALE);
const local = (units: bigint, currency: CurrencyCode) => toMinorUnitString(units, VALUE_SCALE, currency);

export interface LotView {
  readonly accountId: string;
  readonly instrumentId: string;
  readonly symbol: string;
  readonly currency: CurrencyCode;
  readonly openedBy: string;
  readonly acquired: string;
  readonly quantity: string;
  /** In the instrument's currency. */
  readonly cost: string;
}

export function lotView(l: Lot, symbol: string, currency: CurrencyCode): LotView {
  return {
    accountId: l.accountId,
    instrumentId: l.instrumentId,
    symbol,
    currency,
    openedBy: l.openedBy,
    acquired: l.acquired,
    quantity: qty(l.quantity),
    cost: local(l.cost, currency),
  };
}

export function saleView(d: Disposal, symbol: string) {
  const c = d.currency;
  return {
    transactionId: d.transactionId,
    type: d.type,
    /** average: the average cost of the units held; fifo: the lots listed. */
    method: d.method,
    accountId: d.accountId,
    instrumentId: d.instrumentId,
    symbol,
    currency: c,
    date: d.date,
    quantity: qty(d.quantity),
    proceeds: local(d.proceeds, c),
    cost: local(d.cost, c),
    realizedGain: local(d.realizedGain, c),
    lots: d.lots.map((l) => ({
      openedBy: l.openedBy,
      acquired: l.acquired,
      quantity: qty(l.quantity),
      cost: local(l.cost, c),
    })),
  };
}

export function yearLineView(l: YearLine) {
  const c = l.currency;
  return {
    year: l.year,
    currency: c,
    proceeds: local(l.proceeds, c),
    cost: local(l.cost, c),
    realizedGain: local(l.realizedGain, c),
    dividends: local(l.dividends, c),
    interest: local(l.interest, c),
  };
}

export function yearTotalView(t: YearTotal, currency: CurrencyCode) {
  const m = (units: bigint | null) =>
    units === null ? null : toMinorUnitString(units, BASE_VALUE_SCALE, currency);
  return { year: t.year, currency, realizedGain: m(t.realizedGain), income: m(t.income) };
}
