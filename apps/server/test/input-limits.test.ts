import { DEMO_LOGINS } from '@tickfolio/db/demo';
import type { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseFingerprint } from './support/db-fingerprint';
import { investorTrade } from './support/demo-cast';
import { testDemoData } from './support/demo-valuation';
import { startTestApi, type TestApi } from './support/test-api';

const data = testDemoData();
const { account, instrument, buy } = investorTrade(data);
const cursor = (text: string) => Buffer.from(text).toString('base64url');

/**
 * Each probe of issue #13 that reached the database (a 500 with the SQLSTATE in the body) or was
 * accepted, answered now by the edge: BAD_REQUEST naming the field, and nothing written. The hostile-input
 * run throws them at every procedure; this names each one's answer.
 */
describe('input limits at the edge', () => {
  let api: TestApi;
  let token: string;
  let admin: string;
  let before: Record<string, string>;
  beforeAll(async () => {
    api = await startTestApi();
    token = await api.login(DEMO_LOGINS.investor);
    admin = await api.login(DEMO_LOGINS.admin);
    before = await databaseFingerprint((api.config.database as { url: string }).url);
  });
  afterAll(() => api?.stop());

  /** The field paths a call was refused for, expecting BAD_REQUEST. */
  async function refusedAt(path: string, input: unknown, as = token): Promise<string[]> {
    const res = await api.call(as, path, input);
    expect(res.code, `${path} ${JSON.stringify(input)}`).toBe('BAD_REQUEST');
    const cause = (res.body as TRPCError).cause as { issues?: { path: PropertyKey[] }[] } | undefined;
    return (cause?.issues ?? []).map((i) => i.path.join('.'));
  }

  it('refuses NUL and other control characters in text fields (was 22021)', async () => {
    expect(await refusedAt('accounts.create', { name: 'Savings\u0000', baseCurrency: 'USD' })).toEqual([
      'name',
    ]);
    expect(await refusedAt('accounts.rename', { accountId: account.id, name: '\u0001\u0002\u0003' })).toEqual(
      ['name'],
    );
    expect(await refusedAt('accounts.create', { name: '\u200b \u200b', baseCurrency: 'USD' })).toEqual([
      'name',
    ]);
    expect(await refusedAt('transactions.add', { ...buy, note: 'a\u0000b' })).toEqual(['note']);
    expect(await refusedAt('instruments.search', { query: '\u0000' })).toEqual(['query']);
    expect(await refusedAt('admin.users.list', { query: 'a\u0000' }, admin)).toEqual(['query']);
    expect(await refusedAt('admin.audit.list', { entityId: '\u0000' }, admin)).toEqual(['entityId']);
  });

  it('refuses trade dates before 1900 (was 22008 for year 0000) and after the clock’s next day', async () => {
    for (const tradeDate of [
      '0000-01-01',
      '1000-01-01',
      '1899-12-31T23:00:00Z',
      '9999-12-31',
      '3000-01-01',
    ]) {
      expect(await refusedAt('transactions.add', { ...buy, tradeDate }), tradeDate).toEqual(['tradeDate']);
    }
    expect(await refusedAt('transactions.list', { accountId: account.id, from: '0000-01-01' })).toEqual([
      'from',
    ]);
    expect(
      await refusedAt('instruments.history', { instrumentId: instrument.id, to: '0000-01-01T00:00:00Z' }),
    ).toEqual(['to']);
  });

  it('refuses amounts of 10^40 and buys or sells at price 0', async () => {
    const huge = `1${'0'.repeat(40)}`;
    expect(await refusedAt('transactions.add', { ...buy, quantity: huge })).toEqual(['quantity']);
    expect(await refusedAt('transactions.add', { ...buy, fee: huge })).toEqual(['fee']);
    const deposit = { accountId: account.id, type: 'deposit', tradeDate: '2024-01-15', currency: 'USD' };
    expect(await refusedAt('transactions.add', { ...deposit, amount: huge })).toEqual(['amount']);
    expect(await refusedAt('transactions.add', { ...buy, price: '0' })).toEqual(['price']);
    expect(await refusedAt('transactions.add', { ...buy, type: 'sell', price: '0.00' })).toEqual(['price']);
  });

  it('refuses cursors beyond int8 (was 22003)', async () => {
    for (const text of ['2024-01-01T00:00:00.000Z|99999999999999999999', '0000-01-01T00:00:00.000Z|1']) {
      expect(await refusedAt('transactions.list', { accountId: account.id, cursor: cursor(text) })).toEqual([
        'cursor',
      ]);
    }
    expect(await refusedAt('admin.audit.list', { cursor: '9223372036854775808' }, admin)).toEqual(['cursor']);
    const last = await api.call(admin, 'admin.audit.list', { cursor: '9223372036854775807' });
    expect(last.status).toBe(200);
  });

  it('answers OAuth token requests naming impossible clients with 401, not 500', async () => {
    for (const clientId of ['tfc_\u0000', 'two words', 'tab\there', 'é']) {
      const res = await fetch(`${api.url}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: clientId,
          client_secret: 's',
        }),
      });
      expect(res.status, JSON.stringify(clientId)).toBe(401);
      expect(await res.json()).toMatchObject({ error: 'invalid_client' });
    }
  });

  it('wrote nothing for any of them', async () => {
    expect(await databaseFingerprint((api.config.database as { url: string }).url)).toEqual(before);
  });
});
