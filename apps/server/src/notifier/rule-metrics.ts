import {
  BASE_VALUE_SCALE,
  divide,
  PRICE_SCALE,
  pow10,
  QTY_SCALE,
  rescale,
  type TotalsChange,
  VALUE_SCALE,
} from '@tickfolio/core';
import type { alerts } from '@tickfolio/db';
import { METRIC_SCALE } from './crossing';

/** What a rule's metric is read from at the moment of evaluation (the notifier's valuation index). */
export interface MetricInputs {
  /** A portfolio's totals (accountId null) or one account's. */
  totals(ownerId: string, accountId: string | null): TotalsChange | undefined;
  /** The instrument's current price and previous close (PRICE_SCALE), and when it was quoted. */
  price(
    instrumentId: string,
  ): { readonly price: bigint; readonly previousClose: bigint | null; readonly asOfMs: number } | undefined;
  /** The owner's quantity (QTY_SCALE) and cost (VALUE_SCALE) of the instrument, over their open accounts. */
  holding(
    ownerId: string,
    instrumentId: string,
  ): { readonly quantity: bigint; readonly cost: bigint } | undefined;
  /** The market value (BASE_VALUE_SCALE) the window's start saw, for a move within a window. */
  valueWindowStart(key: string, windowMs: number): bigint | undefined;
}

export interface MetricRule {
  readonly id: string;
  readonly kind: alerts.AlertKind;
  readonly direction: alerts.AlertDirection;
  readonly ownerId: string;
  readonly accountId: string | null;
  readonly instrumentId: string | null;
  readonly windowSeconds: number | null;
}

/** A move from `from` to `to` in percent at METRIC_SCALE; undefined from zero (no base to move from). */
export function movePercent(from: bigint, to: bigint): bigint | undefined {
  if (from === 0n) return undefined;
  const base = from < 0n ? -from : from;
  return divide((to - from) * 100n, 0, base, 0, METRIC_SCALE);
}

/** A move as the rule counts it: a rise, a fall (positive when falling), or either (its size). */
export function directed(move: bigint, direction: alerts.AlertDirection): bigint {
  if (direction === 'up') return move;
  if (direction === 'down') return -move;
  return move < 0n ? -move : move;
}

/** The key a window's samples are kept under: the portfolio or the account. */
export function windowKey(rule: Pick<MetricRule, 'ownerId' | 'accountId'>): string {
  return rule.accountId ?? rule.ownerId;
}

/**
 * The rule's metric at METRIC_SCALE, read at `nowMs`: a percent (moves, losses), an amount (values, in
 * the totals' currency) or seconds (staleness); undefined when there is nothing to read yet (no price,
 * no holding, a value of zero to move from).
 */
export function ruleMetric(rule: MetricRule, inputs: MetricInputs, nowMs: number): bigint | undefined {
  switch (rule.kind) {
    case 'portfolio_move': {
      const t = inputs.totals(rule.ownerId, rule.accountId);
      if (!t) return undefined;
      const from =
        rule.windowSeconds === null
          ? t.marketValue - t.dayChange
          : inputs.valueWindowStart(windowKey(rule), rule.windowSeconds * 1000);
      if (from === undefined) return undefined;
      const move = movePercent(from, t.marketValue);
      return move === undefined ? undefined : directed(move, rule.direction);
    }
    case 'value_above':
    case 'value_below': {
      const t = inputs.totals(rule.ownerId, rule.accountId);
      return t && rescale(t.marketValue, BASE_VALUE_SCALE, METRIC_SCALE);
    }
    case 'price_move': {
      const p = rule.instrumentId === null ? undefined : inputs.price(rule.instrumentId);
      if (!p || p.previousClose === null) return undefined;
      const move = movePercent(p.previousClose, p.price);
      return move === undefined ? undefined : directed(move, rule.direction);
    }
    case 'price_stale': {
      const p = rule.instrumentId === null ? undefined : inputs.price(rule.instrumentId);
      // Milliseconds to seconds at METRIC_SCALE.
      return p && BigInt(Math.max(0, nowMs - p.asOfMs)) * pow10(METRIC_SCALE - 3);
    }
    case 'unrealized_loss': {
      if (rule.instrumentId === null) return undefined;
      const h = inputs.holding(rule.ownerId, rule.instrumentId);
      const p = inputs.price(rule.instrumentId);
      if (!h || !p || h.cost <= 0n || h.quantity <= 0n) return undefined;
      const value = rescale(h.quantity * p.price, QTY_SCALE + PRICE_SCALE, VALUE_SCALE);
      return divide((h.cost - value) * 100n, VALUE_SCALE, h.cost, VALUE_SCALE, METRIC_SCALE);
    }
  }
}
