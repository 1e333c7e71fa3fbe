import { DEMO_LOGINS, type DemoData, type DemoUser } from '@tickfolio/db/demo';
import { demoUserByEmail } from './demo-valuation';
import type { TestServer } from './test-server';

type Client = Awaited<ReturnType<TestServer['login']>>['client'];

/**
 * The people access tests are about: the demo investor, the demo advisor (with the ids of the
 * clients assigned to them), and a stranger — an investor whom neither of them may see.
 */
export interface DemoCast {
  readonly investor: DemoUser;
  readonly advisor: DemoUser;
  readonly assigned: ReadonlySet<string>;
  readonly stranger: DemoUser;
}

export function demoCast(data: DemoData): DemoCast {
  const investor = demoUserByEmail(data, DEMO_LOGINS.investor);
  const advisor = demoUserByEmail(data, DEMO_LOGINS.advisor);
  const assigned = new Set(
    data.advisorClients.filter((l) => l.advisorId === advisor.id).map((l) => l.clientId),
  );
  const stranger = data.users.find(
    (u) => u.role === 'investor' && u.id !== investor.id && !assigned.has(u.id),
  );
  if (!stranger) throw new Error('the demo data has no investor outside the advisor’s book');
  return { investor, advisor, assigned, stranger };
}

/** Signs the cast in through the API: the investor, the stranger and the advisor, in that order. */
export async function signInDemoCast(
  server: TestServer,
  cast: DemoCast,
): Promise<{ investor: Client; stranger: Client; advisor: Client }> {
  const investor = (await server.login(cast.investor.email)).client;
  const stranger = (await server.login(cast.stranger.email)).client;
  const advisor = (await server.login(cast.advisor.email)).client;
  return { investor, stranger, advisor };
}

/**
 * The demo investor's first account, an instrument in its currency, and a valid buy of one share of it
 * there: what input tests vary one field of at a time.
 */
export function investorTrade(data: DemoData) {
  const { investor } = demoCast(data);
  const account = data.accounts.find((a) => a.ownerId === investor.id)!;
  const instrument =
    data.instruments.find((i) => i.currency === account.baseCurrency) ?? data.instruments[0]!;
  const buy = {
    accountId: account.id,
    type: 'buy',
    instrumentId: instrument.id,
    tradeDate: '2024-01-15',
    quantity: '1',
    price: '100',
    currency: instrument.currency,
  };
  return { account, instrument, buy };
}
