import type { CurrencyCode, Instrument } from '@tickfolio/core';
import { accounts, type Db, holdings, instruments, users } from '@tickfolio/db';

export interface FxPair {
  readonly base: CurrencyCode;
  readonly quote: CurrencyCode;
}

/** What a full refresh prices: every held instrument and every FX pair a valuation converts through. */
export interface RefreshTargets {
  readonly instruments: readonly Instrument[];
  readonly fxPairs: readonly FxPair[];
}

const USER_PAGE = 1000;

async function baseCurrencyByUser(db: Db): Promise<Map<string, CurrencyCode>> {
  const byUser = new Map<string, CurrencyCode>();
  for (let offset = 0; ; offset += USER_PAGE) {
    const page = await users.listUsers(db, { limit: USER_PAGE, offset });
    for (const user of page) byUser.set(user.id, user.baseCurrency);
    if (page.length < USER_PAGE) return byUser;
  }
}

/**
 * Reads the targets: instruments of open holdings (with their per-source identifiers; not manual assets), and for each
 * holding currency the pairs to its account's base currency and its owner's base currency.
 */
export async function readRefreshTargets(db: Db): Promise<RefreshTargets> {
  const [open, openAccounts, baseByUser] = await Promise.all([
    holdings.listOpenHoldings(db),
    accounts.listOpenAccounts(db),
    baseCurrencyByUser(db),
  ]);
  const accountBase = new Map(openAccounts.map((a) => [a.id, a.baseCurrency]));
  const pairs = new Map<string, FxPair>();
  const addPair = (base: CurrencyCode, quote: CurrencyCode | undefined) => {
    if (quote !== undefined && quote !== base) pairs.set(`${base}${quote}`, { base, quote });
  };
  for (const holding of open) {
    addPair(holding.currency, accountBase.get(holding.accountId));
    addPair(holding.currency, baseByUser.get(holding.ownerId));
  }
  const instrumentIds = [...new Set(open.map((h) => h.instrumentId))];
  // Manual assets (a house, a loan) are priced by hand: no source is ever asked for them. Their
  // currencies still need rates, so the pairs above count them.
  const held = (await instruments.findInstrumentsByIds(db, instrumentIds)).filter(
    (i) => i.priceSource !== 'manual',
  );
  held.sort((a, b) => a.id.localeCompare(b.id));
  return {
    instruments: held,
    fxPairs: [...pairs.values()].sort((a, b) => `${a.base}${a.quote}`.localeCompare(`${b.base}${b.quote}`)),
  };
}
