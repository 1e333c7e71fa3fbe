import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseGhostfolioCsv } from './ghostfolio-csv';
import { parseGhostfolioJson } from './ghostfolio-json';
import { parseTickfolioCsv } from './tickfolio-csv';

const fixture = (name: string) =>
  readFileSync(join(import.meta.dirname, '../../../test/fixtures/import', name), 'utf8');

describe('Tickfolio CSV', () => {
  it('parses every row, with splits written as FROM:TO and cash rows without instrument', () => {
    const { rows, errors } = parseTickfolioCsv(fixture('tickfolio-ok.csv'));
    expect(errors).toEqual([]);
    expect(rows).toHaveLength(7);
    expect(rows[0]).toEqual({
      row: 2,
      instrument: { code: 'MSFT' },
      draft: expect.objectContaining({
        type: 'buy',
        tradeDate: '2024-01-15',
        quantity: '10',
        price: '401.25',
        fee: '1.50',
        currency: 'USD',
        note: 'first lot',
      }),
    });
    expect(rows[3]!.draft.note).toBe('partial, with a comma');
    expect(rows[4]!.draft).toMatchObject({ type: 'split', splitFrom: 1, splitTo: 2, quantity: undefined });
    expect(rows[5]).toMatchObject({ row: 7, instrument: null, draft: { type: 'deposit', amount: '1000' } });
  });

  it('names a wrong header and an unreadable file', () => {
    expect(parseTickfolioCsv('date,type,symbol\n2024-01-01,buy,MSFT\n').errors).toEqual([
      { row: 1, message: expect.stringContaining('missing quantity, price, fee, amount, currency, note') },
    ]);
    const broken = parseTickfolioCsv(
      'date,type,symbol,quantity,price,fee,amount,currency,note\n2024-01-01,buy\n',
    );
    expect(broken.errors).toEqual([{ row: 2, message: expect.stringContaining('unreadable CSV') }]);
  });

  it('reports a split without a ratio at its quantity', () => {
    const csv =
      'date,type,symbol,quantity,price,fee,amount,currency,note\n2024-01-01,split,NVDA,10,,,,USD,\n';
    expect(parseTickfolioCsv(csv).errors).toEqual([
      { row: 2, field: 'quantity', message: expect.stringContaining('FROM:TO') },
    ]);
  });
});

describe('Ghostfolio CSV', () => {
  it("maps Ghostfolio's sample: fee, buy, dividend (quantity × unit price), and every date format", () => {
    const { rows, errors } = parseGhostfolioCsv(fixture('ghostfolio-sample.csv'));
    expect(errors).toEqual([]);
    expect(rows.map((r) => [r.row, r.draft.type, r.draft.tradeDate])).toEqual([
      [2, 'fee', '2021-09-01'],
      [3, 'buy', '2021-09-16'],
      [4, 'dividend', '2021-11-17'],
      [5, 'buy', '2022-01-01'],
      [6, 'buy', '2050-06-06'],
    ]);
    expect(rows[0]).toMatchObject({ instrument: null, draft: { amount: '49', currency: 'USD' } });
    expect(rows[1]).toMatchObject({
      instrument: { code: 'MSFT', source: 'yahoo' },
      draft: { quantity: '5', price: '298.580', fee: '19.00', note: 'My first order 🤓' },
    });
    expect(rows[2]!.draft.amount).toBe('3.1');
    expect(rows[3]!.instrument).toEqual({ code: 'Penthouse Apartment' });
  });

  it("reads Interactive Brokers' flex query through Ghostfolio's alternative column names", () => {
    const { rows, errors } = parseGhostfolioCsv(fixture('ghostfolio-ibkr-vti-buy.csv'));
    expect(errors).toEqual([]);
    expect(rows).toEqual([
      {
        row: 2,
        instrument: { code: 'VTI', source: 'yahoo' },
        draft: {
          type: 'buy',
          tradeDate: '2023-04-03',
          currency: 'USD',
          note: undefined,
          quantity: '17',
          price: '204.3473',
          fee: '1',
        },
      },
    ]);
  });

  it('refuses INTEREST and LIABILITY rows, naming the column', () => {
    const csv =
      'Date,Code,DataSource,Currency,Price,Quantity,Action,Fee,Note\n2021-01-01,Cash,MANUAL,USD,10,1,interest,0,\n';
    expect(parseGhostfolioCsv(csv).errors).toEqual([
      { row: 2, field: 'action', message: 'Ghostfolio INTEREST activities have no Tickfolio equivalent' },
    ]);
  });
});

describe('Ghostfolio JSON', () => {
  it('maps the export, numbers as exact decimals, asset profile names in the instrument label', () => {
    const { rows, errors } = parseGhostfolioJson(fixture('ghostfolio-sample.json'));
    expect(errors).toEqual([]);
    expect(rows).toHaveLength(5);
    expect(rows[1]).toMatchObject({
      row: 2,
      instrument: { code: 'MSFT', source: 'yahoo' },
      draft: {
        type: 'buy',
        quantity: '5',
        price: '298.58',
        fee: '19',
        tradeDate: '2021-09-16T00:00:00.000Z',
      },
    });
    expect(rows[2]!.draft.amount).toBe('3.1');
    expect(rows[3]!.instrument).toEqual({
      code: '7e91b7d4-1430-4212-8380-289a06c9bbc1',
      label: 'Penthouse Apartment (7e91b7d4-1430-4212-8380-289a06c9bbc1)',
    });
  });

  it('reports unreadable files and malformed activities', () => {
    expect(parseGhostfolioJson('{').errors[0]).toMatchObject({
      row: 0,
      message: expect.stringContaining('unreadable JSON'),
    });
    expect(parseGhostfolioJson('{"accounts": []}').errors[0]).toMatchObject({ row: 0 });
    const bad = JSON.stringify({
      activities: [{ type: 'BUY', date: '2021-01-01', quantity: '5', unitPrice: 1, fee: 0 }],
    });
    expect(parseGhostfolioJson(bad).errors).toEqual([
      { row: 1, field: 'quantity', message: expect.any(String) },
    ]);
  });
});
