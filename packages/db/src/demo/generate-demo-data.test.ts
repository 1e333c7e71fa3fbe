import {
  type CurrencyCode,
  compareTransactions,
  derivePositions,
  type Instrument,
  openHoldings,
  PRICE_SCALE,
  pow10,
} from '@tickfolio/core';
import { describe, expect, it } from 'vitest';
import {
  ADMIN_EMAIL,
  CATALOGUE,
  DEMO_AS_OF,
  DEMO_LOGINS,
  DEMO_PASSWORD,
  type DemoData,
  generateDemoData,
  investorEmail,
} from './index';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function serialize(data: DemoData): string {
  return JSON.stringify(data, (_key, value) => (typeof value === 'bigint' ? `${value}n` : value));
}

function instrumentsById(data: DemoData): Map<string, Instrument> {
  return new Map(data.instruments.map((i) => [i.id, i]));
}

/** ISIN check digit: letters become two digits (A = 10), then the Luhn check over the whole code. */
function isinValid(isin: string): boolean {
  if (!/^[A-Z]{2}[A-Z0-9]{9}[0-9]$/.test(isin)) return false;
  const digits = [...isin].map((c) => (/[0-9]/.test(c) ? c : String(c.charCodeAt(0) - 55))).join('');
  let sum = 0;
  for (let k = 0; k < digits.length; k++) {
    let d = Number(digits[digits.length - 1 - k]);
    if (k % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

const base = generateDemoData({ seed: 20261125 });

describe('generateDemoData', () => {
  it('is deterministic: the same seed gives byte-identical output', () => {
    const a = generateDemoData({ seed: 7, investors: 60 });
    const b = generateDemoData({ seed: 7, investors: 60 });
    expect(b).toEqual(a);
    expect(serialize(b)).toBe(serialize(a));
  });

  it('differs between seeds', () => {
    const a = generateDemoData({ seed: 1, investors: 30 });
    const b = generateDemoData({ seed: 2, investors: 30 });
    expect(serialize(a)).not.toBe(serialize(b));
    expect(a.users[0]!.id).not.toBe(b.users[0]!.id);
    expect(a.latestPrices.map((p) => p.price)).not.toEqual(b.latestPrices.map((p) => p.price));
    expect(a.transactions.map((t) => t.quantity)).not.toEqual(b.transactions.map((t) => t.quantity));
  });

  it('keeps an investor the same whatever the number of investors', () => {
    const small = generateDemoData({ seed: 5, investors: 20 });
    const large = generateDemoData({ seed: 5, investors: 40 });
    const investor = (d: DemoData) => d.users.find((u) => u.email === investorEmail(3))!;
    expect(investor(large).displayName).toBe(investor(small).displayName);
    expect(large.latestPrices).toEqual(small.latestPrices);
  });

  it('gives unique UUID-shaped ids', () => {
    const ids = [
      ...base.users.map((u) => u.id),
      ...base.accounts.map((a) => a.id),
      ...base.instruments.map((i) => i.id),
      ...base.transactions.map((t) => t.id),
    ];
    for (const id of ids) expect(id).toMatch(UUID);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('has one admin, an advisor per 25 investors and every investor at most once a client', () => {
    const byRole = (role: string) => base.users.filter((u) => u.role === role);
    expect(byRole('admin')).toHaveLength(1);
    expect(byRole('advisor')).toHaveLength(10);
    expect(byRole('investor')).toHaveLength(250);
    const emails = base.users.map((u) => u.email);
    expect(new Set(emails).size).toBe(emails.length);
    for (const email of emails)
      expect(email).toMatch(/^(investor\d+|advisor\d+|admin)@demo\.tickfolio\.dev$/);

    const roleOf = new Map(base.users.map((u) => [u.id, u.role]));
    const clients = base.advisorClients.map((l) => l.clientId);
    expect(new Set(clients).size).toBe(clients.length);
    for (const link of base.advisorClients) {
      expect(roleOf.get(link.advisorId)).toBe('advisor');
      expect(roleOf.get(link.clientId)).toBe('investor');
    }
    expect(clients.length).toBeGreaterThan(150);
    expect(clients.length).toBeLessThan(250); // some investors have no advisor
    const advisorsWithClients = new Set(base.advisorClients.map((l) => l.advisorId));
    expect(advisorsWithClients.size).toBe(10);
  });

  it('names working demo logins', () => {
    expect(DEMO_PASSWORD).toBe('tickfolio-demo');
    const user = (email: string) => base.users.find((u) => u.email === email)!;
    expect(user(DEMO_LOGINS.admin).role).toBe('admin');
    expect(DEMO_LOGINS.admin).toBe(ADMIN_EMAIL);
    expect(user(DEMO_LOGINS.advisor).role).toBe('advisor');
    const investor = user(DEMO_LOGINS.investor);
    expect(investor.role).toBe('investor');
    expect(base.advisorClients).toContainEqual({
      advisorId: user(DEMO_LOGINS.advisor).id,
      clientId: investor.id,
    });
    expect(base.accounts.filter((a) => a.ownerId === investor.id)).toHaveLength(3);
  });

  it('gives investors 1–3 accounts with unique names and advisors and the admin none', () => {
    const byOwner = new Map<string, string[]>();
    for (const a of base.accounts) byOwner.set(a.ownerId, [...(byOwner.get(a.ownerId) ?? []), a.name]);
    for (const user of base.users) {
      const names = byOwner.get(user.id) ?? [];
      if (user.role === 'investor') {
        expect(names.length).toBeGreaterThanOrEqual(1);
        expect(names.length).toBeLessThanOrEqual(3);
        expect(new Set(names).size).toBe(names.length);
      } else expect(names).toHaveLength(0);
    }
    const currencies = new Set(base.users.map((u) => u.baseCurrency));
    for (const c of ['USD', 'EUR', 'GBP', 'INR']) expect(currencies).toContain(c);
  });

  it('has a realistic instrument catalogue', () => {
    const count = (pred: (i: Instrument) => boolean) => base.instruments.filter(pred).length;
    expect(count((i) => i.currency === 'USD')).toBeGreaterThanOrEqual(40);
    expect(count((i) => i.currency === 'EUR' || i.currency === 'GBP')).toBeGreaterThanOrEqual(20);
    expect(count((i) => i.assetClass === 'mutual_fund' && i.currency === 'INR')).toBe(20);
    expect(base.instruments).toHaveLength(CATALOGUE.length);

    const listings = base.instruments.map((i) => `${i.symbol}@${i.exchange}`);
    expect(new Set(listings).size).toBe(listings.length);
    for (const i of base.instruments) {
      if (i.identifiers.isin !== undefined) expect(isinValid(i.identifiers.isin), i.symbol).toBe(true);
      if (i.assetClass === 'mutual_fund') {
        expect(i.identifiers.amfiCode).toMatch(/^\d{6}$/);
        expect(i.exchange).toBeNull();
      } else expect(i.exchange).toMatch(/^X[A-Z]{3}$|^ARCX$/);
    }
    const amfi = base.instruments.flatMap((i) => i.identifiers.amfiCode ?? []);
    expect(new Set(amfi).size).toBe(amfi.length);
    expect(amfi).toContain('125497');

    const sources = base.instrumentIdentifiers.map((r) => `${r.source}:${r.identifier}`);
    expect(new Set(sources).size).toBe(sources.length);
    const perInstrument = base.instrumentIdentifiers.map((r) => `${r.instrumentId}:${r.source}`);
    expect(new Set(perInstrument).size).toBe(perInstrument.length);
    const symbol = (s: string) => base.instruments.find((i) => i.symbol === s)!.id;
    expect(base.instrumentIdentifiers).toContainEqual({
      instrumentId: symbol('MUV2.DE'),
      source: 'yahoo',
      identifier: 'MUV2.DE',
    });
    expect(base.instrumentIdentifiers).toContainEqual({
      instrumentId: symbol('AZN.L'),
      source: 'alphavantage',
      identifier: 'AZN.LON',
    });
  });

  it('prices every instrument: NAVs with 4 decimals, listings with 2', () => {
    const byId = instrumentsById(base);
    expect(base.latestPrices).toHaveLength(base.instruments.length);
    for (const p of base.latestPrices) {
      const instrument = byId.get(p.instrumentId)!;
      expect(p.currency).toBe(instrument.currency);
      expect(p.price).toBeGreaterThan(0n);
      expect(p.previousClose).toBeGreaterThan(0n);
      const tick = pow10(PRICE_SCALE - (instrument.assetClass === 'mutual_fund' ? 4 : 2));
      expect(p.price % tick).toBe(0n);
      expect(p.previousClose % tick).toBe(0n);
      expect(p.kind).toBe(instrument.assetClass === 'mutual_fund' ? 'nav' : 'close');
      // Previous close within ±3 % of the latest price.
      expect(p.previousClose * 100n).toBeGreaterThan(p.price * 97n);
      expect(p.previousClose * 100n).toBeLessThan(p.price * 103n);
    }
    const history = new Set(base.priceHistory.map((p) => `${p.instrumentId}@${p.asOf}`));
    expect(history.size).toBe(base.priceHistory.length);
    for (const p of base.priceHistory) expect(p.price).toBeGreaterThan(0n);
  });

  it('generates ledgers that derive without a DomainError and keep every holding open', () => {
    const byId = instrumentsById(base);
    const positions = derivePositions(base.transactions, byId);
    const open = openHoldings(positions);
    expect(open).toHaveLength(positions.length);
    expect(open.length).toBeGreaterThan(1_500);
    const types = new Set(base.transactions.map((t) => t.type));
    for (const t of ['deposit', 'buy', 'sell', 'dividend', 'fee', 'split']) expect(types).toContain(t);
    const splits = base.transactions.filter((t) => t.type === 'split');
    expect(new Set(splits.map((t) => byId.get(t.instrumentId!)!.symbol))).toEqual(new Set(['NVDA', 'AVGO']));
  });

  it('writes transactions in core shape: currencies, dates and increasing sequences', () => {
    const byId = instrumentsById(base);
    const accountById = new Map(base.accounts.map((a) => [a.id, a]));
    const start = `${Number(DEMO_AS_OF.slice(0, 4)) - 3}${DEMO_AS_OF.slice(4)}`;
    let previous = base.transactions[0]!;
    const seenAccounts = new Set<string>([previous.accountId]);
    for (const [k, tx] of base.transactions.entries()) {
      if (k > 0) {
        expect(tx.sequence).toBeGreaterThan(previous.sequence);
        if (tx.accountId === previous.accountId) expect(compareTransactions(previous, tx)).toBeLessThan(0);
        else {
          // One contiguous group per account.
          expect(seenAccounts.has(tx.accountId)).toBe(false);
          seenAccounts.add(tx.accountId);
        }
      }
      previous = tx;
      expect(tx.tradeDate).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00\.000Z$/);
      expect(tx.tradeDate > start && tx.tradeDate < DEMO_AS_OF).toBe(true);
      const account = accountById.get(tx.accountId)!;
      if (tx.instrumentId === null) {
        expect(tx.currency).toBe(account.baseCurrency);
        expect(tx.amount).toBeGreaterThan(0n);
      } else expect(tx.currency).toBe(byId.get(tx.instrumentId)!.currency);
      expect(tx.fee).toBeGreaterThanOrEqual(0n);
      if (tx.type === 'buy' || tx.type === 'sell') {
        expect(tx.quantity).toBeGreaterThan(0n);
        expect(tx.price).toBeGreaterThan(0n);
      }
      if (tx.type === 'dividend') expect(tx.amount).toBeGreaterThan(0n);
    }
  });

  it('has an FX rate for every currency pair a valuation needs', () => {
    const rates = new Map(base.fxRates.map((r) => [`${r.base}/${r.quote}`, r.rate]));
    expect(rates.size).toBe(base.fxRates.length);
    const byId = instrumentsById(base);
    const accountById = new Map(base.accounts.map((a) => [a.id, a]));
    const ownerCurrency = new Map(base.users.map((u) => [u.id, u.baseCurrency]));
    const needed = new Set<string>();
    const need = (from: CurrencyCode, to: CurrencyCode) => {
      if (from !== to) needed.add(`${from}/${to}`);
    };
    for (const tx of base.transactions) {
      const account = accountById.get(tx.accountId)!;
      const owner = ownerCurrency.get(account.ownerId)!;
      need(account.baseCurrency, owner);
      if (tx.instrumentId === null) continue;
      const currency = byId.get(tx.instrumentId)!.currency;
      need(currency, account.baseCurrency);
      need(currency, owner);
    }
    for (const user of base.users) need('USD', user.baseCurrency);
    expect(needed.size).toBeGreaterThan(5);
    for (const pair of needed) expect(rates.has(pair), pair).toBe(true);
    for (const r of base.fxRates) {
      expect(r.rate).toBeGreaterThan(0n);
      // A rate and its inverse multiply to 1 within rounding (both at FX_SCALE = 12).
      const product = r.rate * rates.get(`${r.quote}/${r.base}`)!;
      const one = 10n ** 24n;
      const diff = product > one ? product - one : one - product;
      expect(diff * 1_000_000_000n).toBeLessThan(one);
    }
    const usdEur = rates.get('USD/EUR')!;
    expect(usdEur).toBeGreaterThan(7n * 10n ** 11n);
    expect(usdEur).toBeLessThan(10n ** 12n);
  });

  it('scales: 2,000 investors with tunable accounts and holdings', () => {
    const data = generateDemoData({
      seed: 99,
      investors: 2_000,
      accountsPerInvestor: 2,
      holdingsPerAccount: 5,
    });
    expect(data.users.filter((u) => u.role === 'investor')).toHaveLength(2_000);
    expect(data.users.filter((u) => u.role === 'advisor')).toHaveLength(80);
    expect(data.accounts).toHaveLength(4_000);
    const positions = derivePositions(data.transactions, instrumentsById(data));
    expect(openHoldings(positions)).toHaveLength(20_000);
  });

  it('validates its options', () => {
    expect(() => generateDemoData({ seed: 1, asOf: '2026-02-30' })).toThrow(RangeError);
    expect(() => generateDemoData({ seed: 1.5 })).toThrow(RangeError);
    expect(() => generateDemoData({ seed: 1, investors: -1 })).toThrow(RangeError);
    expect(() => generateDemoData({ seed: 1, holdingsPerAccount: { min: 4, max: 2 } })).toThrow(RangeError);
    const empty = generateDemoData({ seed: 1, investors: 0 });
    expect(empty.users.map((u) => u.role)).toEqual(['admin', 'advisor']);
    expect(empty.transactions).toHaveLength(0);
    const other = generateDemoData({ seed: 1, investors: 5, asOf: '2025-03-14', historyYears: 1 });
    for (const tx of other.transactions)
      expect(tx.tradeDate >= '2024-03-14' && tx.tradeDate < '2025-03-14').toBe(true);
  });
});
