import {
  derivePositions,
  FxTable,
  type Instrument,
  openHoldings,
  type PriceEntry,
  presentTotals,
  valuePortfolio,
} from '@tickfolio/core';
import { openDatabase } from '@tickfolio/db';
import { DEMO_LOGINS, generateDemoData } from '@tickfolio/db/demo';
import { createScratchDatabase, type ScratchDatabase } from '@tickfolio/db/testing';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerConfig } from '../src/config';
import { createServerApp } from '../src/main';

const DEMO = { seed: 7, investors: 12 };

/** The demo investor's totals computed straight from the generator, without any database. */
function expectedTotals() {
  const data = generateDemoData(DEMO);
  const owner = data.users.find((u) => u.email === DEMO_LOGINS.investor)!;
  const accounts = data.accounts.filter((a) => a.ownerId === owner.id);
  const accountIds = new Set(accounts.map((a) => a.id));
  const instruments = new Map<string, Instrument>(data.instruments.map((i) => [i.id, i]));
  const holdings = openHoldings(
    derivePositions(
      data.transactions.filter((t) => accountIds.has(t.accountId)),
      instruments,
    ),
  );
  const prices = new Map<string, PriceEntry>(data.latestPrices.map((p) => [p.instrumentId, p]));
  const v = valuePortfolio({
    owner: { id: owner.id, baseCurrency: owner.baseCurrency },
    accounts,
    holdings,
    instruments,
    prices,
    fx: new FxTable(data.fxRates),
  });
  return presentTotals(v);
}

describe('server start on PostgreSQL', () => {
  let scratch: ScratchDatabase;
  beforeAll(async () => {
    scratch = await createScratchDatabase();
  });
  afterAll(async () => {
    await scratch?.drop();
  });

  const config = (): ServerConfig => ({
    database: { kind: 'postgres', url: scratch.url },
    logLevel: 'silent',
    demo: DEMO,
  });

  async function runOnce(): Promise<string> {
    const out: string[] = [];
    const app = createServerApp(config(), pino({ level: 'silent' }), (t) => out.push(t));
    try {
      await app.start();
    } finally {
      await app.stop();
    }
    return out.join('\n');
  }

  it('migrates, loads the demo once and prints the demo portfolio exactly', async () => {
    const first = await runOnce();
    const totals = expectedTotals();
    expect(first).toContain(`Market value   ${totals.marketValue} ${totals.currency}`);
    expect(first).toContain(`Day change     ${totals.dayChange} ${totals.currency}`);
    expect(first).toContain(DEMO_LOGINS.advisor);

    const second = await runOnce();
    expect(second).toBe(first);
    const handle = await openDatabase({ kind: 'postgres', url: scratch.url });
    try {
      const users = await handle.db
        .selectFrom('users')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(users.n)).toBe(generateDemoData(DEMO).users.length);
    } finally {
      await handle.close();
    }
  });
});
