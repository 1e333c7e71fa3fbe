import { randomInt } from 'node:crypto';
import type { CurrencyCode, Instrument, PriceQuote } from '@tickfolio/core';
import { describe, expect, it } from 'vitest';
import {
  createQuoteInstrumentResolver,
  type Db,
  instrumentResolution,
  instruments,
  UnusableQuoteError,
} from '../src';
import { databaseForBlock, engines } from './engines';
import { unique } from './fixtures';

const { resolveInstrument } = instrumentResolution;

/** A well-formed ISIN no other test uses. */
function uniqueIsin(): string {
  const body = unique('')
    .replace(/[^a-z0-9]/gi, '')
    .toUpperCase()
    .padEnd(9, 'X')
    .slice(0, 9);
  return `US${body}${randomInt(10)}`;
}

function listing(
  db: Db,
  fields: {
    symbol?: string;
    exchange: string | null;
    currency: CurrencyCode;
    isin?: string;
    amfiCode?: string;
    name?: string;
    sources?: Record<string, string>;
  },
): Promise<Instrument> {
  return instruments.createInstrument(db, {
    symbol: fields.symbol ?? unique('SYM'),
    name: fields.name ?? unique('Instrument'),
    assetClass: fields.amfiCode ? 'mutual_fund' : 'stock',
    currency: fields.currency,
    exchange: fields.exchange,
    identifiers: {
      ...(fields.isin ? { isin: fields.isin } : {}),
      ...(fields.amfiCode ? { amfiCode: fields.amfiCode } : {}),
      ...(fields.sources ? { sources: fields.sources } : {}),
    },
  });
}

function quote(instrument: PriceQuote['instrument'], currency: CurrencyCode, source = 'webhook'): PriceQuote {
  return { instrument, price: '10', currency, asOf: '2026-01-05T15:00:00Z', source, kind: 'trade' };
}

describe.each(engines)('instrument resolution on $name', (engine) => {
  let db: Db;
  databaseForBlock(engine, (opened) => {
    db = opened;
  });

  it('takes our id alone: an unknown id is unknown, not looked up by its other identifiers', async () => {
    const share = await listing(db, { exchange: 'XNAS', currency: 'USD' });
    expect(await resolveInstrument(db, { instrumentId: share.id })).toEqual({
      kind: 'found',
      instrument: share,
    });
    const unknownId = { instrumentId: '00000000-0000-4000-8000-000000000000', symbol: share.symbol };
    expect(await resolveInstrument(db, unknownId)).toEqual({ kind: 'unknown' });
    expect(await resolveInstrument(db, { symbol: unique('NONE') })).toEqual({ kind: 'unknown' });
  });

  it("tries the source's own symbol before a Tickfolio symbol, and only for that source", async () => {
    const yahooName = unique('MUV2.DE');
    const named = await listing(db, { exchange: 'XETR', currency: 'EUR', sources: { yahoo: yahooName } });
    const sameSymbol = await listing(db, { symbol: yahooName, exchange: 'XFRA', currency: 'EUR' });
    const atYahoo = await resolveInstrument(db, { symbol: yahooName }, { source: 'yahoo', currency: 'EUR' });
    expect(atYahoo).toEqual({ kind: 'found', instrument: named });
    const elsewhere = await resolveInstrument(db, { symbol: yahooName }, { source: 'alphavantage' });
    expect(elsewhere).toEqual({ kind: 'found', instrument: sameSymbol });
  });

  it('finds an AMFI code exactly, however many names contain it', async () => {
    const code = String(randomInt(10_000_000, 100_000_000));
    // More than either old resolver read of a text search (5 and 50 results), all matching the code.
    for (let i = 0; i < 55; i++)
      await listing(db, { exchange: null, currency: 'INR', name: `Fund ${code} ${i}` });
    const fund = await listing(db, { exchange: null, currency: 'INR', amfiCode: code, name: 'Zeta Fund' });
    expect(await resolveInstrument(db, { amfiCode: code })).toEqual({ kind: 'found', instrument: fund });
  });

  it('lets the currency pick one of several listings, and refuses when it picks none or several', async () => {
    const isin = uniqueIsin();
    const nasdaq = await listing(db, { exchange: 'XNAS', currency: 'USD', isin });
    const xetra = await listing(db, { exchange: 'XETR', currency: 'EUR', isin });
    expect(await resolveInstrument(db, { isin }, { currency: 'USD' })).toEqual({
      kind: 'found',
      instrument: nasdaq,
    });
    expect(await resolveInstrument(db, { isin }, { currency: 'EUR' })).toEqual({
      kind: 'found',
      instrument: xetra,
    });
    for (const currency of ['GBP', undefined]) {
      expect(await resolveInstrument(db, { isin }, { currency })).toEqual({
        kind: 'ambiguous',
        by: 'ISIN',
        named: isin,
        listings: [nasdaq, xetra].sort((a, b) => (a.id < b.id ? -1 : 1)),
      });
    }

    // Two listings in one currency (NASDAQ and NYSE): the currency cannot pick, so never a guess.
    const symbol = unique('DUAL');
    await listing(db, { symbol, exchange: 'XNAS', currency: 'USD' });
    await listing(db, { symbol, exchange: 'XNYS', currency: 'USD' });
    const dual = await resolveInstrument(db, { symbol }, { currency: 'USD' });
    expect(dual).toMatchObject({ kind: 'ambiguous', by: 'symbol', named: symbol });
    const message = dual.kind === 'ambiguous' ? instrumentResolution.describeRefusal(dual, 'USD') : '';
    expect(message).toMatch(new RegExp(`^symbol ${symbol} names several listings \\(`));
    expect(message).toContain(`${symbol} XNAS USD`);
    expect(message).toContain(`${symbol} XNYS USD`);
    expect(message).toMatch(/; the currency USD does not pick one$/);
  });

  it('takes a single listing whatever the currency, and stops at the first identifier that names any', async () => {
    const isin = uniqueIsin();
    const only = await listing(db, { exchange: 'XLON', currency: 'GBP', isin });
    expect(await resolveInstrument(db, { isin }, { currency: 'USD' })).toEqual({
      kind: 'found',
      instrument: only,
    });

    // An ambiguous ISIN is not rescued by a symbol that would name one listing.
    const twice = uniqueIsin();
    await listing(db, { exchange: 'XNAS', currency: 'USD', isin: twice });
    await listing(db, { exchange: 'XETR', currency: 'EUR', isin: twice });
    const plain = await listing(db, { exchange: 'XLON', currency: 'GBP' });
    const both = await resolveInstrument(db, { isin: twice, symbol: plain.symbol }, { currency: 'GBP' });
    expect(both).toMatchObject({ kind: 'ambiguous', by: 'ISIN' });
    // An ISIN nobody lists gives way to the symbol.
    const unlisted = await resolveInstrument(db, { isin: uniqueIsin(), symbol: plain.symbol });
    expect(unlisted).toEqual({ kind: 'found', instrument: plain });
  });

  it('quotes: refuses unknown, ambiguous and wrong-currency quotes, and remembers what it found', async () => {
    const resolver = createQuoteInstrumentResolver(db);
    const share = await listing(db, { exchange: 'XNAS', currency: 'USD' });
    const byId = quote({ instrumentId: share.id }, 'USD');
    expect(resolver.known(byId)).toBeUndefined();
    expect(await resolver.resolve(byId)).toEqual(share);
    expect(resolver.known(byId)).toEqual(share);

    const reasonOf = (q: PriceQuote) =>
      resolver.resolve(q).then(
        () => 'resolved',
        (error: unknown) => (error instanceof UnusableQuoteError ? error.reason : error),
      );
    expect(() => resolver.known(quote({ instrumentId: share.id }, 'EUR'))).toThrow(UnusableQuoteError);
    expect(await reasonOf(quote({ symbol: share.symbol }, 'EUR'))).toBe('wrong-currency');
    expect(await reasonOf(quote({ symbol: unique('NONE') }, 'USD'))).toBe('unknown');
    const symbol = unique('DUAL');
    await listing(db, { symbol, exchange: 'XNAS', currency: 'USD' });
    await listing(db, { symbol, exchange: 'XNYS', currency: 'USD' });
    expect(await reasonOf(quote({ symbol }, 'USD'))).toBe('ambiguous');
  });
});
