import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseGhostfolioCsv } from './ghostfolio-csv';
import { parseGhostfolioJson } from './ghostfolio-json';
import { parseTickfolioCsv } from './tickfolio-csv';

const fixture = (name: string) =>
  readFileSync(join(import.meta.dirname, '../../../test/fixtures/import', name), 'utf8');

describe('Tickfolio CSV', () => {
  it('parses every row, with splits written as FROM:TO and cash rows without instrument', async () => {
    const { rows, errors } = await parseTickfolioCsv(fixture('tickfolio-ok.csv'));
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

  it('names a wrong header and an unreadable file', async () => {
    expect((await parseTickfolioCsv('date,type,symbol\n2024-01-01,buy,MSFT\n')).errors).toEqual([
      { row: 1, message: expect.stringContaining('missing quantity, price, fee, amount, currency, note') },
    ]);
    const broken = await parseTickfolioCsv(
      'date,type,symbol,quantity,price,fee,amount,currency,note\n2024-01-01,buy\n',
    );
    expect(broken.errors).toEqual([{ row: 2, message: expect.stringContaining('unreadable CSV') }]);
  });

  it('reports a split without a ratio at its quantity', async () => {
    const csv =
      'date,type,symbol,quantity,price,fee,amount,currency,note\n2024-01-01,split,NVDA,10,,,,USD,\n';
    expect((await parseTickfolioCsv(csv)).errors).toEqual([
      { row: 2, field: 'quantity', message: expect.stringContaining('FROM:TO') },
    ]);
  });
});

describe('Ghostfolio CSV', () => {
  it("maps Ghostfolio's sample: fee, buy, dividend (quantity × unit price), and every date format", async () => {
    const { rows, errors } = await parseGhostfolioCsv(fixture('ghostfolio-sample.csv'));
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
    // A MANUAL asset (priced by hand): listed as a manual asset to add when the catalogue lacks it.
    expect(rows[3]!.instrument).toEqual({ code: 'Penthouse Apartment', dataSource: 'MANUAL', manual: true });
  });

  it("reads Interactive Brokers' flex query through Ghostfolio's alternative column names", async () => {
    const { rows, errors } = await parseGhostfolioCsv(fixture('ghostfolio-ibkr-vti-buy.csv'));
    expect(errors).toEqual([]);
    expect(rows).toEqual([
      {
        row: 2,
        // Without a DataSource column Ghostfolio reads YAHOO, and so do we.
        instrument: { code: 'VTI', source: 'yahoo', dataSource: 'YAHOO' },
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

  it('maps INTEREST to interest on cash, ITEM to a buy of a manual asset, LIABILITY to a buy of a manual liability', async () => {
    const csv = [
      'Date,Code,DataSource,Currency,Price,Quantity,Action,Fee,Note',
      '2021-01-01,Savings,MANUAL,USD,2.5,4,interest,0,',
      '2021-02-01,Rolex Submariner,MANUAL,CHF,9000,1,item,0,',
      '2021-03-01,Mortgage,MANUAL,USD,250000,1,liability,0,',
      '2021-04-01,Savings,MANUAL,USD,2.5,1,interest,0.5,',
    ].join('\n');
    const { rows, errors } = await parseGhostfolioCsv(csv);
    expect(rows).toEqual([
      {
        row: 2,
        instrument: null,
        draft: { type: 'interest', tradeDate: '2021-01-01', currency: 'USD', note: undefined, amount: '10' },
      },
      {
        row: 3,
        instrument: { code: 'Rolex Submariner', dataSource: 'MANUAL', manual: true },
        draft: expect.objectContaining({ type: 'buy', quantity: '1', price: '9000', currency: 'CHF' }),
      },
      {
        row: 4,
        instrument: { code: 'Mortgage', dataSource: 'MANUAL', manual: true, liability: true },
        draft: expect.objectContaining({ type: 'buy', quantity: '1', price: '250000', currency: 'USD' }),
      },
    ]);
    expect(errors).toEqual([
      { row: 5, field: 'fee', message: 'Tickfolio records interest without a fee; enter the net amount' },
    ]);
  });
});

describe('Ghostfolio JSON', () => {
  it('maps the export, numbers as exact decimals, asset profile names in the instrument label', async () => {
    const { rows, errors } = await parseGhostfolioJson(fixture('ghostfolio-sample.json'));
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
      dataSource: 'MANUAL',
      name: 'Penthouse Apartment',
      label: 'Penthouse Apartment (7e91b7d4-1430-4212-8380-289a06c9bbc1)',
      manual: true,
    });
  });

  it('reports unreadable files and malformed activities', async () => {
    expect((await parseGhostfolioJson('{')).errors[0]).toMatchObject({
      row: 0,
      message: expect.stringContaining('unreadable JSON'),
    });
    expect((await parseGhostfolioJson('{"accounts": []}')).errors[0]).toMatchObject({ row: 0 });
    const bad = JSON.stringify({
      activities: [{ type: 'BUY', date: '2021-01-01', quantity: '5', unitPrice: 1, fee: 0 }],
    });
    expect((await parseGhostfolioJson(bad)).errors).toEqual([
      { row: 1, field: 'quantity', message: expect.any(String) },
    ]);
  });
});
