import { describe, expect, it } from 'vitest';
import { CliError } from '../errors';
import { countImportRows, detectFormat, rowsOf } from './import-file';

describe('detectFormat', () => {
  it('tells the formats apart by their headers', () => {
    expect(detectFormat('a.csv', 'date,type,symbol,quantity,price,fee,amount,currency,note\n')).toBe(
      'tickfolio-csv',
    );
    expect(detectFormat('a.csv', '\uFEFFDate,Type,Symbol,Quantity,Price,Fee,Amount,Currency,Note\n')).toBe(
      'tickfolio-csv',
    );
    expect(detectFormat('g.csv', 'Date,Code,DataSource,Currency,Price,Quantity,Action,Fee,Note\n')).toBe(
      'ghostfolio-csv',
    );
    expect(detectFormat('g.json', '{"activities":[]}')).toBe('ghostfolio-json');
  });

  it('refuses a CSV without a header, naming the header to add (not Ghostfolio’s columns)', () => {
    let error: unknown;
    try {
      detectFormat('trades.csv', '2024-01-15,buy,MSFT,10,401.25,1.50,,USD,first lot\n');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CliError);
    const refused = error as CliError;
    expect(refused.exitCode).toBe(2);
    expect(refused.message).toContain('has no header row');
    expect(refused.hint).toContain('date,type,symbol,quantity,price,fee,amount,currency,note');
    expect(refused.hint).not.toMatch(/DataSource/);
  });
});

describe('countImportRows', () => {
  it('counts the records of a CSV after its header, a quoted note over lines as one, and JSON activities', () => {
    const csv =
      'date,type,symbol,quantity,price,fee,amount,currency,note\r\n2024-01-15,buy,MSFT,1,1,,,USD,"two\nlines"\r\n\r\n2024-07-01,deposit,,,,,1000,EUR,\n';
    expect(countImportRows(csv, 'tickfolio-csv')).toBe(2);
    expect(countImportRows('date,type\n', 'tickfolio-csv')).toBe(0);
    expect(countImportRows('{"activities":[{},{},{}]}', 'ghostfolio-json')).toBe(3);
    expect(countImportRows('{"activities":', 'ghostfolio-json')).toBeUndefined();
  });

  it('names the rows of the file for the spinner', () => {
    expect(rowsOf('a.csv', 1204)).toBe('1,204 rows of a.csv');
    expect(rowsOf('a.csv', 1)).toBe('1 row of a.csv');
    expect(rowsOf('a.csv', undefined)).toBe('a.csv');
  });
});
