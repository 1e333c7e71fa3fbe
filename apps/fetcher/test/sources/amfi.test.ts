import { fixture } from '@tickfolio/testing';
import { describe, expect, it } from 'vitest';
import { createAmfiSource } from '../../src/sources/amfi';
import { adapterPerTest } from './provider-per-test';

const ID = '00000000-0000-4000-8000-0000000000a1';
const scheme = (symbol: string) => ({
  instrumentId: `${ID.slice(0, -6)}${symbol.padStart(6, '0')}`,
  symbol,
  currency: 'INR' as const,
});

const provider = adapterPerTest('amfi', createAmfiSource);
const amfiServing = (body: string) =>
  provider.serving((r) =>
    r.path === '/spages/NAVAll.txt' ? { body, headers: { 'content-type': 'text/plain' } } : { status: 404 },
  );

describe('AMFI NAVAll.txt adapter', () => {
  it('reads the 6-column file with one download for every requested scheme', async () => {
    const amfi = await amfiServing(fixture('amfi-NAVAll-2025-02-25-head.txt'));
    const result = await amfi.fetchQuotes(
      [scheme('119551'), scheme('103176'), scheme('119550')],
      AbortSignal.timeout(10_000),
    );
    expect(result.failures).toEqual([]);
    expect(result.quotes).toEqual([
      {
        instrument: { instrumentId: scheme('119551').instrumentId },
        price: '103.5311',
        currency: 'INR',
        // 15:30 IST on 25 Feb 2025
        asOf: '2025-02-25T10:00:00.000Z',
        source: 'amfi',
        kind: 'nav',
      },
      expect.objectContaining({ price: '532.1162' }),
      expect.objectContaining({ price: '367.4749' }),
    ]);
    expect(provider.server.requests).toHaveLength(1);
  });

  it('reads the 8-column file (Plan and Option before the NAV)', async () => {
    const amfi = await amfiServing(fixture('amfi-NAVAll-2026-08-8col-format-sample.txt'));
    const result = await amfi.fetchQuotes(
      [scheme('135762'), scheme('135763'), scheme('119063')],
      AbortSignal.timeout(10_000),
    );
    expect(result.failures).toEqual([]);
    expect(result.quotes.map((q) => [q.price, q.asOf])).toEqual([
      ['30.4829', '2026-08-27T10:00:00.000Z'],
      ['28.1333', '2026-08-27T10:00:00.000Z'],
      ['86.4', '2026-08-27T10:00:00.000Z'],
    ]);
  });

  it("skips 'N.A.' and zero NAVs and reports schemes that are not in the file", async () => {
    const file = `${fixture('amfi-NAVAll-2025-02-25-head.txt')} \r\nTest Mutual Fund\r\n \r\n900001;INF000000018;-;Test Fund - Growth;N.A.;25-Feb-2025\r\n900002;INF000000026;-;Test Fund - IDCW;0.0000;25-Feb-2025\r\n`;
    const amfi = await amfiServing(file);
    const result = await amfi.fetchQuotes(
      [scheme('900001'), scheme('900002'), scheme('999999')],
      AbortSignal.timeout(10_000),
    );
    expect(result.quotes).toEqual([]);
    expect(result.failures.map((f) => [f.request.symbol, f.reason, f.message])).toEqual([
      ['900001', 'empty', 'NAV is "N.A."'],
      ['900002', 'empty', 'NAV is zero'],
      ['999999', 'unknown_symbol', 'scheme 999999 is not in NAVAll.txt'],
    ]);
  });

  it("stores a NAV as quoted: a double's noise in the file is no digit of it", async () => {
    const file = `${fixture('amfi-NAVAll-2025-02-25-head.txt')} \r\nTest Mutual Fund\r\n \r\n900003;INF000000034;-;Test Fund - Growth;45.123000000000005;25-Feb-2025\r\n`;
    const amfi = await amfiServing(file);
    const result = await amfi.fetchQuotes([scheme('900003')], AbortSignal.timeout(10_000));
    expect(result.failures).toEqual([]);
    expect(result.quotes.map((q) => q.price)).toEqual(['45.123']);
  });

  it('keeps what a truncated file holds and fails what it lost', async () => {
    const full = fixture('amfi-NAVAll-2025-02-25-head.txt');
    const cut = full.slice(0, full.indexOf('108272') + 20);
    const amfi = await amfiServing(cut);
    const result = await amfi.fetchQuotes(
      [scheme('119551'), scheme('108272'), scheme('119550')],
      AbortSignal.timeout(10_000),
    );
    expect(result.quotes.map((q) => q.price)).toEqual(['103.5311']);
    expect(result.failures.map((f) => [f.request.symbol, f.reason])).toEqual([
      ['108272', 'unknown_symbol'],
      ['119550', 'unknown_symbol'],
    ]);
  });

  it('fails every request when the file is not NAVAll.txt at all', async () => {
    const amfi = await amfiServing('<html><body>Service Unavailable</body></html>');
    const result = await amfi.fetchQuotes([scheme('119551'), scheme('119550')], AbortSignal.timeout(10_000));
    expect(result.quotes).toEqual([]);
    expect(result.failures.map((f) => f.reason)).toEqual(['invalid', 'invalid']);
  });
});
