import { describe, expect, it } from 'vitest';
import { notARealDate } from './trade-date-text';
import { valueMessage } from './value-message';

const PLAIN = 'must be a plain decimal number such as 12.34';
const DATE_FORM = 'must be a date (YYYY-MM-DD) or an ISO 8601 instant with offset';

describe('valueMessage: what is wrong with the value a file holds', () => {
  it('says a well-formed date names no day, and why', () => {
    expect(valueMessage('tradeDate', '2024-13-01', DATE_FORM)).toBe(
      '2024-13-01 is not a real date: there is no month 13',
    );
    expect(valueMessage('tradeDate', '2023-02-29', DATE_FORM)).toBe(
      '2023-02-29 is not a real date: 2023-02 has 28 days',
    );
    expect(valueMessage('tradeDate', '15/01/2024', DATE_FORM)).toBe(DATE_FORM);
    expect(notARealDate('2024-02-29')).toBeUndefined();
  });

  it('names an exponent, thousands separators, a decimal comma, or no number at all', () => {
    expect(valueMessage('quantity', '1e3', PLAIN)).toBe(
      '1e3 is in exponent notation; write it out as a plain decimal number (1000)',
    );
    expect(valueMessage('amount', '1e40', PLAIN)).toBe(
      '1e40 is in exponent notation; write it out as a plain decimal number',
    );
    expect(valueMessage('amount', '1,000', PLAIN)).toBe(
      '1,000 has thousands separators; write it without them (1000)',
    );
    expect(valueMessage('price', '12,5', PLAIN)).toBe(
      "12,5 has a decimal comma; write the point as '.' (12.5)",
    );
    expect(valueMessage('fee', 'abc', PLAIN)).toBe(
      '"abc" is not a number; write a plain decimal such as 12.34',
    );
  });

  it('passes other refusals through', () => {
    expect(valueMessage('quantity', '0', 'must be greater than 0')).toBe('must be greater than 0');
    expect(valueMessage('currency', 'XX', 'bad currency')).toBe('bad currency');
  });
});
