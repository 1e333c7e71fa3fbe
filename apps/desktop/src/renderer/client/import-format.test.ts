import { describe, expect, it } from 'vitest';
import { detectImportFormat } from './import-format';

describe('detectImportFormat', () => {
  it('reads a CSV with Tickfolio’s columns, in any order and case, as Tickfolio’s', () => {
    expect(detectImportFormat('a.csv', 'date,type,symbol,quantity,price,fee,amount,currency,note\n')).toBe(
      'tickfolio-csv',
    );
    expect(
      detectImportFormat('a.txt', '\uFEFF"Note","Currency",Amount,Fee,Price,Quantity,Symbol,Type,Date\r\n1'),
    ).toBe('tickfolio-csv');
  });

  it('reads Tickfolio’s CSV with a column missing as Tickfolio’s, for the server to name the column', () => {
    expect(detectImportFormat('t.csv', 'date,type,symbol,quantity,price,fee,amount,currency')).toBe(
      'tickfolio-csv',
    );
  });

  it('reads any other CSV as Ghostfolio’s, broker exports included', () => {
    expect(detectImportFormat('g.csv', 'Date,Code,DataSource,Currency,Price,Quantity,Action,Fee,Note')).toBe(
      'ghostfolio-csv',
    );
    expect(detectImportFormat('ib.csv', 'TradeDate,Symbol,CurrencyPrimary,TradePrice,Buy/Sell')).toBe(
      'ghostfolio-csv',
    );
    // Ghostfolio's reader takes Type and Symbol columns too; without an amount the file is its.
    expect(detectImportFormat('g2.csv', 'Date,Symbol,Type,Quantity,Price,Currency,Fee,Note')).toBe(
      'ghostfolio-csv',
    );
  });

  it('reads JSON, by its extension or its opening bracket, as a Ghostfolio export', () => {
    expect(detectImportFormat('export.JSON', '')).toBe('ghostfolio-json');
    expect(detectImportFormat('export.txt', '  {"activities": []}')).toBe('ghostfolio-json');
  });
});
