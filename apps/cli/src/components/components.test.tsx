import { describe, expect, it } from 'vitest';
import { ANSI, renderPlain } from '../../test/support/ink';
import { ALLOCATION, HOLDINGS, SUMMARY } from '../../test/support/sample-data';
import { ErrorMessage } from './ErrorMessage';
import { ImportReportView } from './ImportReportView';
import { PortfolioView } from './PortfolioView';
import { PriceChart } from './PriceChart';
import { ProgressBar } from './ProgressBar';
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
    expect(frame).toContain('Value 12345.67 USD');
    expect(frame).toContain('Gain +2345.67 (+23.46%)');
    expect(frame).toContain('Day -120.50 (-0.97%)');
    expect(frame).toMatch(
      /AAPL\s+Brokerage\s+10\s+190\.50\s+USD\s+1905\.00\s+\+25\.00\s+\+1\.33\s+\+405\.00\s+15\.43/,
    );
    expect(frame).toMatch(/SAP\.DE .*3\.5\s+210\.10\s+EUR\s+798\.41\s+-4\.20/);
    expect(frame).toMatch(/stock 9876\.54\s+80\.00% █{19}·{5}/);
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

describe('ProgressBar', () => {
  it('fills in proportion to the steps done', () => {
    const { lastFrame, rerender } = renderPlain(
      <ProgressBar label="checking" done={1} total={4} width={8} />,
    );
    expect(lastFrame()).toBe('[██······] 1/4 checking');
    rerender(<ProgressBar label="done" done={4} total={4} width={8} />);
    expect(lastFrame()).toBe('[████████] 4/4 done');
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
  it('lists each bad row with its field and reason', () => {
    const frame = renderPlain(
      <ImportReportView
        file="export.csv"
        report={{
          imported: 0,
          skipped: 0,
          dryRun: false,
          errorCount: 2,
          errors: [
            { row: 5, field: 'code', message: 'unknown instrument Penthouse Apartment' },
            { row: 7, message: 'sell row 7 removes more than the position holds', reason: 'OVERSELL' },
          ],
        }}
      />,
    ).lastFrame()!;
    expect(frame).toContain('export.csv: nothing imported; 2 rows have problems:');
    expect(frame).toMatch(/ 5\s+code\s+unknown instrument Penthouse Apartment/);
    expect(frame).toMatch(/ 7\s+sell row 7 removes more than the position holds \(OVERSELL\)/);
  });

  it('counts what was imported and skipped', () => {
    const frame = renderPlain(
      <ImportReportView
        file="a.csv"
        report={{ imported: 3, skipped: 2, dryRun: false, errorCount: 0, errors: [] }}
      />,
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
