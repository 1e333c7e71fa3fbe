import { describe, expect, it } from 'vitest';
import {
  createUnknownList,
  resolveNothing,
  UnknownInstrumentsError,
  unknownRowMessage,
} from './unknown-instruments';

describe('the unknown-instrument list', () => {
  it('keeps one entry per instrument as the file states it, with its rows and a manual asset’s latest price', () => {
    const list = createUnknownList();
    const goog = { code: 'GOOG', source: 'yahoo', dataSource: 'YAHOO' };
    const house = { code: 'house-1', dataSource: 'MANUAL', name: 'Family home', manual: true };
    const k1 = list.add(3, goog, { currency: 'USD', tradeDate: '2023-01-04', price: '89.7' });
    const k2 = list.add(5, goog, { currency: 'USD', tradeDate: '2023-02-01', price: '100' });
    list.add(6, goog, { currency: 'EUR', tradeDate: '2023-02-01', price: '93' });
    list.add(7, house, { currency: 'EUR', tradeDate: '2023-04-01', price: '420000' });
    list.add(8, house, { currency: 'EUR', tradeDate: '2021-01-01', price: '300000' });
    expect(k1).toBe(k2);
    expect([...list.entries().values()]).toEqual([
      { kind: 'symbol', symbol: 'GOOG', dataSource: 'YAHOO', currency: 'USD', rows: [3, 5], rowCount: 2 },
      { kind: 'symbol', symbol: 'GOOG', dataSource: 'YAHOO', currency: 'EUR', rows: [6], rowCount: 1 },
      {
        kind: 'manual',
        symbol: 'house-1',
        dataSource: 'MANUAL',
        currency: 'EUR',
        name: 'Family home',
        // The latest row by trade date, not the last in the file.
        unitPrice: '420000',
        date: '2023-04-01',
        rows: [7, 8],
        rowCount: 2,
      },
    ]);
  });

  it('lists at most 20 rows of an entry and counts them all', () => {
    const list = createUnknownList();
    for (let row = 2; row < 52; row++) list.add(row, { code: 'NFLX' }, { currency: 'USD' });
    const [entry] = list.entries().values();
    expect(entry!.rows).toHaveLength(20);
    expect(entry!.rowCount).toBe(50);
  });

  it('resolves nothing by default, and names what stays unknown in sentences', async () => {
    const entry = {
      kind: 'symbol',
      symbol: 'GOOG',
      dataSource: 'YAHOO',
      currency: 'USD',
      rows: [2],
      rowCount: 1,
    } as const;
    expect(await resolveNothing([entry], { dryRun: false })).toEqual({
      added: [],
      stillUnknown: [{ unknown: entry }],
    });
    expect(unknownRowMessage(entry)).toBe(
      'the instrument GOOG (YAHOO, USD) is not in the catalogue; add it, then import this row again',
    );
    const unavailable = { code: 'unavailable', message: 'no fetcher answered the lookup' } as const;
    expect(unknownRowMessage({ ...entry, reason: unavailable })).toBe(
      'the instrument GOOG (YAHOO, USD) is not in the catalogue and could not be added: no fetcher answered the lookup; add it, then import this row again',
    );
    const many = ['A', 'B', 'C', 'D', 'E', 'F', 'G'].map((symbol) => ({ ...entry, symbol }));
    const error = new UnknownInstrumentsError(many);
    expect(error).toMatchObject({ code: 'UNKNOWN_INSTRUMENTS', unknownInstruments: many });
    expect(error.message).toBe(
      'the file names 7 instruments the catalogue does not hold (A, B, C, D, E and 2 more); nothing was imported',
    );
  });
});
