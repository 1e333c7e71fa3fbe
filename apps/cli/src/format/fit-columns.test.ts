import { describe, expect, it } from 'vitest';
import { fitColumns, truncateToWidth } from './fit-columns';

describe('fitColumns', () => {
  const columns = [
    { header: 'Name', shrinkTo: 6 },
    { header: 'Value' },
    { header: 'Weight %', short: 'Wt %', drop: 2 },
    { header: 'Note', drop: 1 },
  ];
  const cells = [[12], [10], [6], [4]];

  it('keeps everything when it fits', () => {
    expect(fitColumns(columns, cells, 80, 2)).toEqual({
      shown: [0, 1, 2, 3],
      widths: [12, 10, 8, 4],
      headers: ['Name', 'Value', 'Weight %', 'Note'],
    });
  });

  it('shortens headers, then cuts names, then drops the highest rank first', () => {
    // 12+10+6+4 + 6 = 38 with short headers
    expect(fitColumns(columns, cells, 38, 2).headers).toEqual(['Name', 'Value', 'Wt %', 'Note']);
    expect(fitColumns(columns, cells, 34, 2).widths).toEqual([8, 10, 6, 4]);
    expect(fitColumns(columns, cells, 30, 2)).toMatchObject({ shown: [0, 1, 3] });
    expect(fitColumns(columns, cells, 20, 2)).toMatchObject({ shown: [0, 1], widths: [8, 10] });
  });

  it('never cuts a column that may not shrink, and never drops one without a rank', () => {
    expect(fitColumns(columns, cells, 5, 2)).toMatchObject({ shown: [0, 1], widths: [6, 10] });
  });
});

describe('truncateToWidth', () => {
  it('ends a cut text with an ellipsis, counting wide characters as two', () => {
    expect(truncateToWidth('Retirement', 10)).toBe('Retirement');
    expect(truncateToWidth('Retirement', 6)).toBe('Retir…');
    expect(truncateToWidth('日本株式', 5)).toBe('日本…');
  });
});
