import { describe, expect, it } from 'vitest';
import { renderAt } from '../../test/support/ink';
import { holding, TOTALS } from '../../test/support/sample-data';
import { displayWidth } from '../format/width';
import type { BookRow } from '../live/book-dashboard';
import { initialDashboardState } from '../live/dashboard-state';
import { reducePortfolioDashboard } from '../live/portfolio-dashboard';
import { BookTable } from './BookTable';
import { HoldingsTable } from './HoldingsTable';
import { WatchDashboard } from './WatchDashboard';

/** Holdings as they broke at 80 columns: long account names, a seven-figure value. */
const HOLDINGS = [
  holding({ symbol: 'VWCE.DE', accountName: 'Retirement', marketValue: '2199455.40', localCurrency: 'EUR' }),
  holding({
    instrumentId: 'ins-infy',
    symbol: 'INFY.NS',
    accountName: 'Long-term Indian equities',
    quantity: '1250.5',
    price: '1589.25',
    localCurrency: 'INR',
    marketValue: '590388.29',
    unrealizedGain: '-1234.56',
  }),
  holding({ instrumentId: 'ins-aapl', symbol: 'AAPL', accountName: 'Brokerage' }),
];

const BOOK: BookRow[] = [
  {
    clientId: 'c1',
    displayName: 'Arjun Banerjee',
    email: 'investor58@demo.tickfolio.dev',
    currency: 'INR',
    marketValue: '590388.29',
    dayChange: '-1520.10',
    dayChangePercent: '-0.26',
    unrealizedGain: '45012.77',
    asOf: null,
  },
  {
    clientId: 'c2',
    displayName: 'Maximiliane Oberhauser-Lindqvist',
    email: 'investor7@demo.tickfolio.dev',
    currency: 'EUR',
    marketValue: '12.00',
    dayChange: '0.50',
    dayChangePercent: '4.35',
    unrealizedGain: '1.00',
    asOf: null,
  },
];

const cellsOf = (line: string) => line.trim().split(/\s{2,}/);

/** A table's lines fit, the rule matches the header, and every row has one cell per header. */
function expectFittedTable(frame: string, columns: number) {
  const lines = frame.split('\n');
  for (const line of lines) expect(displayWidth(line), line).toBeLessThanOrEqual(columns);
  const [header, rule, ...rows] = lines;
  const headers = cellsOf(header!);
  const segments = rule!.trim().split(/\s+/);
  expect(segments).toHaveLength(headers.length);
  expect(displayWidth(rule!.trimEnd())).toBeGreaterThanOrEqual(displayWidth(header!.trimEnd()));
  for (const row of rows) {
    expect(cellsOf(row), row).toHaveLength(headers.length);
    expect(displayWidth(row.trimEnd())).toBeLessThanOrEqual(displayWidth(rule!.trimEnd()));
  }
  return headers;
}

describe('tables fit the terminal', () => {
  it.each([60, 80, 120, 200])('holdings at %i columns: fitted, no merged cells', (columns) => {
    const frame = renderAt(<HoldingsTable holdings={HOLDINGS} />, { columns });
    const headers = expectFittedTable(frame, columns);
    // The symbol and the value always stay.
    expect(headers[0]).toBe('Symbol');
    expect(headers.some((h) => h.startsWith('Value'))).toBe(true);
    expect(frame).not.toContain('VWCE.DERetirement');
    expect(frame).not.toMatch(/\d[A-Z]{3}\d/); // a price's currency never touches the next amount
    if (columns >= 200) {
      expect(headers).toHaveLength(9);
      expect(frame).toContain('Long-term Indian equities');
    }
    if (columns <= 80) expect(headers).not.toContain('Weight %');
  });

  it('cuts long names with an ellipsis before giving up columns, and gives up the least important first', () => {
    const frame = renderAt(<HoldingsTable holdings={HOLDINGS} />, { columns: 90 });
    expect(frame).toMatch(/Long-term[^…\n]*…/);
    expect(cellsOf(frame.split('\n')[0]!)).toHaveLength(9);
    const at60 = expectFittedTable(renderAt(<HoldingsTable holdings={HOLDINGS} />, { columns: 60 }), 60);
    expect(at60).not.toContain('Account');
    expect(at60.some((h) => h.startsWith('Day'))).toBe(true);
  });

  it.each([60, 80, 120, 200])('the book at %i columns: names cut, never run into the email', (columns) => {
    const frame = renderAt(<BookTable rows={BOOK} />, { columns });
    const headers = expectFittedTable(frame, columns);
    expect(frame).not.toMatch(/Banerjeeinvestor/);
    expect(frame).not.toMatch(/\.dev\d/);
    if (columns >= 120) expect(headers).toContain('Email');
    if (columns <= 60) expect(frame).toMatch(/Maximiliane \S*…/);
  });

  it('`watch` at 80×24 keeps its title and status, with the rows that fit and a count of the rest', () => {
    const many = Array.from({ length: 40 }, (_, i) =>
      holding({ instrumentId: `ins-${i}`, symbol: `SYM${i}`, accountName: 'Brokerage' }),
    );
    const state = reducePortfolioDashboard(initialDashboardState(0), {
      type: 'snapshot',
      at: 0,
      totals: TOTALS,
      rows: many,
    });
    const frame = renderAt(
      <WatchDashboard title="Portfolio · investor1@demo.tickfolio.dev" state={state} />,
      {
        columns: 80,
        rows: 24,
      },
    );
    const lines = frame.split('\n');
    expect(lines[0]).toContain('Portfolio · investor1@demo.tickfolio.dev');
    expect(lines[1]).toContain('● live');
    expect(lines.length).toBeLessThan(24);
    for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(80);
    expect(frame).toMatch(/… \d+ more rows/);
  });
});
