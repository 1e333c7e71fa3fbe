import { describe, expect, it } from 'vitest';
import { applyPricesFrame, type BoardQuote } from './quote-model';

const held: BoardQuote = {
  instrumentId: 'i1',
  price: '100.00',
  previousClose: '98.00',
  change: '2',
  changePercent: '2.04',
  currency: 'USD',
  asOf: '2026-01-05T10:00:00.000Z',
  moved: 0,
  moves: 0,
};

function frame(price: string, asOf: string) {
  return {
    type: 'prices.changed' as const,
    prices: [
      { instrumentId: 'i1', price, previousClose: '98.00', currency: 'USD' as const, asOf, source: 'sim' },
    ],
  };
}

describe('quote board', () => {
  it('takes a newer price with its exact change against the previous close', () => {
    const board = applyPricesFrame(new Map([['i1', held]]), frame('97.5', '2026-01-05T10:00:01.000Z'));
    expect(board.get('i1')).toMatchObject({
      price: '97.5',
      change: '-0.5',
      changePercent: '-0.51',
      moved: -1,
      moves: 1,
    });
  });

  it('ignores a price older than the one held', () => {
    const board = applyPricesFrame(new Map([['i1', held]]), frame('1.00', '2026-01-05T09:00:00.000Z'));
    expect(board.get('i1')!.price).toBe('100.00');
  });
});
