import { describe, expect, it } from 'vitest';
import { ResponseFormatError } from '../resilience/source-errors';
import { parseAmfiNavFile } from './amfi-nav-file';

const SIX = 'Scheme Code;ISIN Div Payout/ ISIN Growth;ISIN Div Reinvestment;Scheme Name;Net Asset Value;Date';
const EIGHT =
  'Scheme Code;ISIN Div Payout/ ISIN Growth;ISIN Div Reinvestment;Scheme Name;Plan;Option;Net Asset Value;Date';

describe('parseAmfiNavFile', () => {
  it('tells the two layouts apart by the header and reads each row', () => {
    const six = parseAmfiNavFile(
      `${SIX}\r\n \r\nAxis Mutual Fund\r\n \r\n120503;INF846K01EW2;-;Axis ELSS - Growth;95.1234;25-Feb-2025\r\n`,
    );
    expect(six.format).toBe('6-column');
    expect(six.rows.get('120503')).toMatchObject({
      nav: 9_512_340_000n,
      date: '2025-02-25',
      isinGrowth: 'INF846K01EW2',
      isinReinvestment: undefined,
      plan: undefined,
    });
    const eight = parseAmfiNavFile(
      `${EIGHT}\n\n135762;INF846K01WO1;-;Axis Children's Fund;Direct Plan;Growth Option;30.4829;27-Aug-2026\n`,
    );
    expect(eight.format).toBe('8-column');
    expect(eight.rows.get('135762')).toMatchObject({
      plan: 'Direct Plan',
      option: 'Growth Option',
      nav: 3_048_290_000n,
    });
  });

  it('counts malformed rows instead of failing the file', () => {
    const file = parseAmfiNavFile(
      `${SIX}\n1;INF846K01EW2;-;Short row;1.0\n2;-;-;Bad date;1.0;31-Feb-2025\nX;-;-;Bad code;1.0;25-Feb-2025\n3;-;-;N.A. fund;N.A.;25-Feb-2025\n`,
    );
    expect(file.malformedLines).toBe(3);
    expect(file.rows.get('3')).toMatchObject({ nav: undefined, navText: 'N.A.' });
  });

  it('refuses a file without a known header', () => {
    expect(() => parseAmfiNavFile('Scheme Code;Name;NAV\n1;x;2\n')).toThrow(ResponseFormatError);
    expect(() => parseAmfiNavFile(' \r\n')).toThrow(ResponseFormatError);
  });
});
