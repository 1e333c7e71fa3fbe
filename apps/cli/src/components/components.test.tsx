import { describe, expect, it, vi } from 'vitest';
import { ANSI, renderPlain } from '../../test/support/ink';
import { ALLOCATION, HOLDINGS, SUMMARY } from '../../test/support/sample-data';
import type { ImportReport } from '../api/types';
import { ErrorMessage } from './ErrorMessage';
import { ImportReportView } from './ImportReportView';
import { PortfolioView } from './PortfolioView';
import { PriceChart } from './PriceChart';
import { Spinner } from './Spinner';
import { Table } from './Table';

describe('Table', () => {
  it('aligns columns, right-aligns amounts exactly as given, and rules the header', () => {
    const { lastFrame } = renderPlain(
      <Table
        columns={[{ header: 'Symbol' }, { header: 'Value', align: 'right' }]}
        rows={[
          ['AAPL', '1905.00'],
          ['SAP.DE', '798.4'],
        ]}
      />,
    );
    expect(lastFrame()).toBe(
      ['Symbol    Value', '──────  ───────', 'AAPL    1905.00', 'SAP.DE    798.4'].join('\n'),
    );
  });

  it('says so when there is nothing to show', () => {
    expect(
      renderPlain(<Table columns={[{ header: 'A' }]} rows={[]} empty="No accounts." />).lastFrame(),
    ).toBe('No accounts.');
  });

  it('marks a flashing cell with an arrow when there is no colour, and colours it otherwise', () => {
    const rows = [[{ text: '12.00', flash: 'up' as const }], [{ text: '9.00', flash: 'down' as const }]];
    const plain = renderPlain(
      <Table columns={[{ header: 'Price', align: 'right' }]} rows={rows} />,
    ).lastFrame();
    expect(plain).toContain('▲12.00');
    expect(plain).toContain(' ▼9.00');
    expect(plain).not.toMatch(ANSI);
  });

  it('keeps wide characters aligned', () => {
    const frame = renderPlain(
      <Table
        columns={[{ header: 'Note' }, { header: 'X' }]}
        rows={[
          ['order 🤓', 'a'],
          ['plain', 'b'],
        ]}
      />,
    ).lastFrame()!;
    const [, , first, second] = frame.split('\n');
    // The emoji is two UTF-16 units and two columns wide: equal indexes mean equal columns.
    expect(first!.indexOf('a')).toBe(second!.indexOf('b'));
  });
});

describe('PortfolioView', () => {
  it('shows totals with signed changes, the holdings, and allocation bars', () => {
    const frame = renderPlain(
      <PortfolioView summary={SUMMARY} holdings={HOLDINGS} allocation={ALLOCATION} />,
    ).lastFrame()!;
    expect(frame).toContain('Value 12,345.67 USD');
    expect(frame).toContain('Cost 10,000.00 USD');
    expect(frame).toContain('Gain +2,345.67 USD (+23.46%)');
    expect(frame).toContain('Day -120.50 USD (-0.97%)');
    // Amounts in the base currency say so in their headers; a price carries its own currency.
    expect(frame).toMatch(/Price\s+Value USD\s+Day USD\s+Day %\s+Gain USD/);
    expect(frame).toMatch(
      /AAPL\s+Brokerage\s+10\.0\s+190\.50 USD\s+1,905\.00\s+\+25\.00\s+\+1\.33\s+\+405\.00\s+15\.43/,
    );
    expect(frame).toMatch(/SAP\.DE .*3\.5\s+210\.10 EUR\s+798\.41\s+-4\.20/);
    // Largest first.
    expect(frame.indexOf('AAPL')).toBeLessThan(frame.indexOf('SAP.DE'));
    expect(frame).toMatch(/stock 9,876\.54\s+80\.00% █{19}·{5}/);
    expect(frame).not.toMatch(ANSI);
  });

  it('warns when prices are missing', () => {
    const summary = { ...SUMMARY, missing: { prices: ['x'], fxPairs: [] } };
    expect(
      renderPlain(
        <PortfolioView summary={summary} holdings={HOLDINGS} allocation={ALLOCATION} />,
      ).lastFrame(),
    ).toContain('1 price or exchange rate is missing');
  });
});

describe('Spinner', () => {
  it('names what is under way (rows, not steps) and turns while it waits', async () => {
    const { lastFrame, frames, unmount } = renderPlain(
      <Spinner label="checking 1,204 rows of a.csv" intervalMs={5} />,
    );
    expect(lastFrame()).toBe('⠋ checking 1,204 rows of a.csv');
    await vi.waitFor(() => expect(new Set(frames.map((f) => f[0])).size).toBeGreaterThan(1), {
      timeout: 10_000,
    });
    expect(lastFrame()).not.toMatch(/\d+\/\d+/);
    unmount();
  });
});

describe('ErrorMessage', () => {
  it('gives the sentence, the details and the hint; no stack trace', () => {
    const frame = renderPlain(
      <ErrorMessage
        message="The server refused the input."
        details={['baseCurrency: Invalid option']}
        hint="Run `tickfolio accounts add --help`."
      />,
    ).lastFrame();
    expect(frame).toBe(
      'Error: The server refused the input.\n • baseCurrency: Invalid option\nRun `tickfolio accounts add --help`.',
    );
  });
});

describe('ImportReportView', () => {
  const EMPTY_REPORT = {
    imported: 0,
    skipped: 0,
    duplicates: [],
    dryRun: false,
    mode: 'all-or-nothing',
    errorCount: 0,
    errors: [],
    unknownInstruments: [],
    addedInstruments: [],
  } as const satisfies ImportReport;

  it('lists each bad row with its field and reason', () => {
    const frame = renderPlain(
      <ImportReportView
        file="export.csv"
        report={{
          ...EMPTY_REPORT,
          errorCount: 2,
          errors: [
            { row: 5, field: 'code', message: 'must be a date' },
            { row: 7, message: 'sell row 7 removes more than the position holds', reason: 'OVERSELL' },
          ],
        }}
      />,
    ).lastFrame()!;
    expect(frame).toContain('export.csv: nothing imported; 2 rows with problems:');
    expect(frame).toMatch(/ 5\s+code\s+must be a date/);
    expect(frame).toMatch(/ 7\s+sell row 7 removes more than the position holds \(OVERSELL\)/);
    expect(frame).toContain('or import with --skip-invalid; nothing was written.');
  });

  it('lists the instruments the catalogue lacks, manual assets apart', () => {
    const frame = renderPlain(
      <ImportReportView
        file="export.json"
        report={{
          ...EMPTY_REPORT,
          unknownInstruments: [
            {
              kind: 'symbol',
              symbol: 'GOOG',
              dataSource: 'YAHOO',
              currency: 'USD',
              rows: [3, 5],
              rowCount: 2,
            },
            {
              kind: 'manual',
              symbol: '7e91b7d4',
              name: 'Penthouse Apartment',
              dataSource: 'MANUAL',
              currency: 'USD',
              unitPrice: '500000',
              date: '2022-01-01',
              rows: [4],
              rowCount: 1,
            },
          ],
        }}
      />,
    ).lastFrame()!;
    expect(frame).toContain(
      'export.json: nothing imported; no row with problems, 2 instruments not in the catalogue:',
    );
    expect(frame).toMatch(/GOOG\s+symbol\s+YAHOO\s+USD\s+2/);
    expect(frame).toMatch(/Penthouse Apartment \(7e91b7d4\)\s+manual asset\s+MANUAL\s+USD\s+1/);
  });

  it('lists what it added (a dry run: would add), and why the rest was not added', () => {
    const house = {
      kind: 'manual',
      symbol: 'Family home',
      dataSource: 'MANUAL',
      currency: 'USD',
      unitPrice: '420000',
      date: '2024-02-01',
      rows: [6],
      rowCount: 1,
      instrument: {
        id: null,
        symbol: 'MANUAL-1A2B3C4D',
        name: 'Family home',
        exchange: null,
        currency: 'USD',
        assetClass: 'other',
        priceSource: 'manual',
        liability: false,
      },
    } as const;
    const dry = renderPlain(
      <ImportReportView
        file="four.csv"
        report={{ ...EMPTY_REPORT, dryRun: true, imported: 5, addedInstruments: [house] }}
      />,
    ).lastFrame()!;
    expect(dry).toContain('✔ four.csv: would import 5 transactions.');
    expect(dry).toContain('Would add 1 instrument to the catalogue:');
    expect(dry).toMatch(/Family home\s+manual asset\s+MANUAL-1A2B3C4D\s+USD/);

    const refused = renderPlain(
      <ImportReportView
        file="four.csv"
        report={{
          ...EMPTY_REPORT,
          unknownInstruments: [
            {
              kind: 'symbol',
              symbol: 'GOOY',
              dataSource: 'YAHOO',
              currency: 'USD',
              rows: [2],
              rowCount: 1,
              reason: { code: 'unavailable', message: 'no fetcher answered the lookup' },
            },
          ],
        }}
      />,
    ).lastFrame()!;
    expect(refused).toMatch(/Why not added/);
    expect(refused).toMatch(/GOOY\s+symbol\s+YAHOO\s+USD\s+1\s+no fetcher answered the lookup/);
  });

  it('with --skip-invalid, counts what was stored and lists the refused rows', () => {
    const frame = renderPlain(
      <ImportReportView
        file="a.csv"
        report={{
          ...EMPTY_REPORT,
          mode: 'skip-invalid',
          imported: 4,
          skipped: 1,
          errorCount: 1,
          errors: [
            { row: 3, field: 'date', message: 'must not be later than 2026-01-02 (trades lie in the past)' },
          ],
        }}
      />,
    ).lastFrame()!;
    expect(frame).toContain('✔ a.csv: imported 4 transactions, skipped 1 already recorded; 1 row refused:');
    expect(frame).toMatch(/ 3\s+date\s+must not be later than/);
  });

  it('counts what was imported and skipped', () => {
    const frame = renderPlain(
      <ImportReportView file="a.csv" report={{ ...EMPTY_REPORT, imported: 3, skipped: 2 }} />,
    ).lastFrame();
    expect(frame).toBe('✔ a.csv: imported 3 transactions, skipped 2 already recorded.');
  });
});

describe('PriceChart', () => {
  it('draws the prices between their low and high, with dates below', () => {
    const points = ['100', '110', '105', '120'].map((price, i) => ({
      asOf: `2024-01-0${i + 1}T00:00:00.000Z`,
      price,
    }));
    const frame = renderPlain(
      <PriceChart title="AAPL" currency="USD" points={points} width={4} height={2} change="20" />,
    ).lastFrame()!;
    const lines = frame.split('\n');
    expect(lines[0]).toBe('AAPL 120 USD +20 over the range');
    expect(lines[1]).toBe('120 ┤   █');
    expect(lines[2]).toBe('100 ┤▁█▄█');
    expect(lines[3]).toContain('2024-01-01');
  });
});
