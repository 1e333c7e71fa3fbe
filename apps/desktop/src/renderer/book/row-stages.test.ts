import { describe, expect, it } from 'vitest';
import type { RowView } from './book-engine';
import { type DrawnRow, stageRows } from './row-stages';

/** A row of client `id` showing `value` (and its age). */
function drawnRow(id: string, value: string, age = 'now'): DrawnRow {
  const row: RowView = {
    clientId: id,
    name: `Client ${id}`,
    email: `${id}@example.com`,
    currency: 'EUR',
    apart: false,
    value: { text: value, sign: 0 },
    dayChange: { text: '+1.00', sign: 1 },
    dayChangePercent: { text: '+0.10%', sign: 1 },
    gain: { text: '+2.00', sign: 1 },
    share: '10.00%',
    asOf: null,
    flash: '',
  };
  return { row, age };
}

/** What a commit drew, by client: the rows it left out (null) were not drawn. */
const drawnMap = (rows: readonly (DrawnRow | null)[]) =>
  new Map(rows.flatMap((r) => (r ? [[r.row.clientId, r] as const] : [])));

describe('stageRows', () => {
  it('draws every changed row within the budget at once', () => {
    const before = ['a', 'b', 'c'].map((id) => drawnRow(id, '1.00'));
    const wanted = ['a', 'b', 'c'].map((id) => drawnRow(id, '2.00'));
    expect(stageRows(wanted, drawnMap(before), 3)).toEqual({ rows: wanted, pending: false });
  });

  it('keeps what the rows past the budget drew, in screen order, until a later commit', () => {
    const before = ['a', 'b', 'c', 'd'].map((id) => drawnRow(id, '1.00'));
    const wanted = ['a', 'b', 'c', 'd'].map((id) => drawnRow(id, '2.00'));
    const first = stageRows(wanted, drawnMap(before), 2);
    expect(first).toEqual({ rows: [wanted[0], wanted[1], before[2], before[3]], pending: true });
    // The next commit starts from what the first drew and finishes.
    expect(stageRows(wanted, drawnMap(first.rows), 2)).toEqual({ rows: wanted, pending: false });
  });

  it('counts an age that moved as a change, and spends nothing on rows that draw the same', () => {
    const before = [drawnRow('a', '1.00'), drawnRow('b', '1.00'), drawnRow('c', '1.00')];
    const wanted = [drawnRow('a', '1.00'), drawnRow('b', '1.00', '1s'), drawnRow('c', '3.00')];
    expect(stageRows(wanted, drawnMap(before), 1)).toEqual({
      rows: [wanted[0], wanted[1], before[2]],
      pending: true,
    });
  });

  it('draws rows not drawn before (the first screenful, a page moved to) within the budget too, from the top', () => {
    const wanted = ['a', 'b', 'c'].map((id) => drawnRow(id, '1.00'));
    const first = stageRows(wanted, new Map(), 2);
    expect(first).toEqual({ rows: [wanted[0], wanted[1], null], pending: true });
    expect(stageRows(wanted, drawnMap(first.rows), 2)).toEqual({ rows: wanted, pending: false });
  });

  it('spends one budget on new and changed rows alike, in screen order', () => {
    const before = [drawnRow('a', '1.00')];
    const wanted = [drawnRow('a', '2.00'), drawnRow('b', '1.00')];
    expect(stageRows(wanted, drawnMap(before), 1)).toEqual({ rows: [wanted[0], null], pending: true });
  });
});
