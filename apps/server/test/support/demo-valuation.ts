import {
  derivePositions,
  FxTable,
  type Instrument,
  openHoldings,
  type PriceEntry,
  presentPortfolioValuation,
  valuePortfolio,
} from '@tickfolio/core';
import { type DemoData, generateDemoData } from '@tickfolio/db/demo';
import { TEST_DEMO } from './test-server';

/** The demo data every server test starts from, generated again in the test process. */
export function testDemoData(): DemoData {
  return generateDemoData({ seed: Number(TEST_DEMO.DEMO_SEED), investors: Number(TEST_DEMO.DEMO_INVESTORS) });
}

export function demoUserByEmail(data: DemoData, email: string) {
  const user = data.users.find((u) => u.email === email);
  if (!user) throw new Error(`no demo user ${email}`);
  return user;
}

/**
 * An owner's presented valuation computed independently of the server: positions derived from the
 * generator's transactions, valued by core with the generator's latest prices and FX rates.
 */
export function expectedValuation(data: DemoData, ownerId: string) {
  const owner = data.users.find((u) => u.id === ownerId);
  if (!owner) throw new Error(`no demo user ${ownerId}`);
  const accounts = data.accounts.filter((a) => a.ownerId === ownerId);
  const accountIds = new Set(accounts.map((a) => a.id));
  const instruments = new Map<string, Instrument>(data.instruments.map((i) => [i.id, i]));
  const positions = derivePositions(
    data.transactions.filter((t) => accountIds.has(t.accountId)),
    instruments,
  );
  return presentPortfolioValuation(
    valuePortfolio({
      owner: { id: owner.id, baseCurrency: owner.baseCurrency },
      accounts,
      holdings: openHoldings(positions),
      instruments,
      prices: new Map<string, PriceEntry>(data.latestPrices.map((p) => [p.instrumentId, p])),
      fx: new FxTable(data.fxRates),
    }),
  );
}
