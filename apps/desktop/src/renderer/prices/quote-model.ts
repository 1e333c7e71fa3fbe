import type { PricesFrame, Quote } from '../api/types';
import { decimalKey, keyText, shareText } from '../format/decimal-text';

/** One instrument's newest price on the board; change figures computed exactly from the decimal strings. */
export interface BoardQuote {
  readonly instrumentId: string;
  readonly price: string;
  readonly previousClose: string | null;
  readonly change: string | null;
  readonly changePercent: string | null;
  readonly currency: string;
  readonly asOf: string;
  readonly moved: -1 | 0 | 1;
  readonly moves: number;
}

export function quoteFromApi(q: Quote): BoardQuote {
  return {
    instrumentId: q.instrumentId,
    price: q.price,
    previousClose: q.previousClose,
    change: q.change,
    changePercent: q.changePercent,
    currency: q.currency,
    asOf: q.asOf,
    moved: 0,
    moves: 0,
  };
}

/** Applies a prices.live frame to the board (older prices than held are ignored); returns the new board. */
export function applyPricesFrame(
  board: ReadonlyMap<string, BoardQuote>,
  frame: PricesFrame,
): Map<string, BoardQuote> {
  const next = new Map(board);
  for (const p of frame.prices) {
    const held = board.get(p.instrumentId);
    if (held && p.asOf < held.asOf) continue;
    const price = decimalKey(p.price);
    const before = held ? decimalKey(held.price) : price;
    const close = p.previousClose === null ? null : decimalKey(p.previousClose);
    next.set(p.instrumentId, {
      instrumentId: p.instrumentId,
      price: p.price,
      previousClose: p.previousClose,
      change: close === null ? null : keyText(price - close),
      changePercent: close === null ? null : shareText(price - close, close),
      currency: p.currency,
      asOf: p.asOf,
      moved: price > before ? 1 : price < before ? -1 : (held?.moved ?? 0),
      moves: price === before ? (held?.moves ?? 0) : (held?.moves ?? 0) + 1,
    });
  }
  return next;
}
