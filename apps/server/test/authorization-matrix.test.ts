import { heldPrices, instrumentRequests, openDatabase } from '@tickfolio/db';
import { DEMO_LOGINS, generateDemoData } from '@tickfolio/db/demo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from '../src/routers';
import { databaseFingerprint } from './support/db-fingerprint';
import { demoCast } from './support/demo-cast';
import { callProcedure, proceduresOf } from './support/raw-call';
import { serviceToken } from './support/service-token';
import { startTestApi, type TestApi } from './support/test-api';

/**
 * Every procedure × every role × somebody else's resource. The victim is an investor whom neither the
 * signed-in investor nor the advisor may see. Denied calls must answer exactly like a missing resource
 * (NOT_FOUND; FORBIDDEN only where a service calls a procedure meant for people) and change nothing.
 * The matrix is walked in-process (the rules are the services' and the procedures'); a sample of it
 * over HTTP shows the edge answers alike.
 */
// Enough investors for two advisors (one per 25 investors).
const DEMO = { seed: 7, investors: 40 };
const data = generateDemoData(DEMO);
const { investor, advisor, assigned, stranger: victim } = demoCast(data);
const otherAdvisor = data.users.find((u) => u.role === 'advisor' && u.id !== advisor.id)!;
const victimAccount = data.accounts.find((a) => a.ownerId === victim.id)!;
const victimTx = data.transactions.find((t) => t.accountId === victimAccount.id && t.type === 'deposit')!;
const someInstrument = data.instruments[0]!;

type Role = 'anonymous' | 'investor' | 'advisor' | 'service' | 'admin';
const ROLES: Role[] = ['anonymous', 'investor', 'advisor', 'service', 'admin'];
/** 'allow': access granted (the call may still fail on its merits, e.g. CONFLICT), or the denial code. */
type Outcome = 'allow' | 'NOT_FOUND' | 'FORBIDDEN' | 'UNAUTHORIZED';
type Expectation = Record<Role, Outcome>;

const PUBLIC: Expectation = {
  anonymous: 'allow',
  investor: 'allow',
  advisor: 'allow',
  service: 'allow',
  admin: 'allow',
};
const SELF: Expectation = {
  anonymous: 'UNAUTHORIZED',
  investor: 'allow',
  advisor: 'allow',
  service: 'allow',
  admin: 'allow',
};
const PEOPLE: Expectation = { ...SELF, service: 'FORBIDDEN' };
/** Somebody else's portfolio data; the service holds portfolio:read only. */
const READ_OTHERS: Expectation = {
  anonymous: 'UNAUTHORIZED',
  investor: 'NOT_FOUND',
  advisor: 'NOT_FOUND',
  service: 'allow',
  admin: 'allow',
};
const WRITE_OTHERS: Expectation = { ...READ_OTHERS, service: 'NOT_FOUND' };
/** Reference data: the service lacks instruments:read. */
const REFERENCE: Expectation = { ...SELF, service: 'FORBIDDEN' };
const ADVISOR_ONLY: Expectation = {
  anonymous: 'UNAUTHORIZED',
  investor: 'NOT_FOUND',
  advisor: 'allow',
  service: 'FORBIDDEN',
  admin: 'allow',
};
const ADVISOR_OTHERS: Expectation = { ...ADVISOR_ONLY, advisor: 'NOT_FOUND' };
const ADMIN: Expectation = {
  anonymous: 'UNAUTHORIZED',
  investor: 'NOT_FOUND',
  advisor: 'NOT_FOUND',
  service: 'FORBIDDEN',
  admin: 'allow',
};

/** Somebody else's portfolio, for people only: a service has no inbox or rules of its own. */
const PEOPLE_OTHERS: Expectation = { ...READ_OTHERS, service: 'FORBIDDEN' };
/** What only its owner may touch, admins included (a user's own alert rules and inbox). */
const OWNER_ONLY: Expectation = { ...PEOPLE_OTHERS, admin: 'NOT_FOUND' };

const day = '2026-01-02';
/** A held price's id in denied calls (denial comes first, so whether it exists does not matter). */
const MATRIX_HOLD_ID = '00000000-0000-4000-8000-00000000a11d';
/** The victim's manual asset (a house): only they and admins may price it. */
const VICTIM_MANUAL_ID = '00000000-0000-4000-8000-0000000e5a7e';
/** The victim's alert rule and a notification in their inbox. */
const VICTIM_RULE_ID = '00000000-0000-4000-8000-0000000a1e27';
const VICTIM_NOTE_ID = '00000000-0000-4000-8000-00000000707e';
const MATRIX: Record<string, { expect: Expectation; input: unknown }> = {
  'auth.register': {
    expect: PUBLIC,
    input: { email: 'not-an-email', password: 'x', displayName: 'x', baseCurrency: 'USD' },
  },
  'auth.login': { expect: PUBLIC, input: { email: victim.email, password: 'wrong password for the matrix' } },
  'auth.refresh': { expect: PUBLIC, input: { refreshToken: 'not-a-real-refresh-token-0000' } },
  'auth.logout': { expect: PUBLIC, input: { refreshToken: 'not-a-real-refresh-token-0000' } },
  'auth.me': { expect: SELF, input: undefined },
  'auth.changePassword': {
    expect: PEOPLE,
    input: { currentPassword: 'wrong', newPassword: 'a-new-password-123' },
  },
  'accounts.list': { expect: READ_OTHERS, input: { ownerId: victim.id } },
  'accounts.create': {
    expect: WRITE_OTHERS,
    input: { ownerId: victim.id, name: 'Matrix', baseCurrency: 'USD' },
  },
  'accounts.rename': {
    expect: WRITE_OTHERS,
    input: { accountId: victimAccount.id, name: 'Renamed by matrix' },
  },
  'accounts.close': { expect: WRITE_OTHERS, input: { accountId: victimAccount.id } },
  'accounts.setCostBasisMethod': {
    expect: WRITE_OTHERS,
    input: { accountId: victimAccount.id, method: 'fifo' },
  },
  'transactions.list': { expect: READ_OTHERS, input: { accountId: victimAccount.id } },
  'transactions.add': {
    expect: WRITE_OTHERS,
    input: {
      accountId: victimAccount.id,
      type: 'deposit',
      tradeDate: day,
      amount: '1',
      currency: victimAccount.baseCurrency,
    },
  },
  'transactions.delete': { expect: WRITE_OTHERS, input: { transactionId: victimTx.id } },
  'transactions.import': {
    expect: WRITE_OTHERS,
    input: {
      accountId: victimAccount.id,
      format: 'tickfolio-csv',
      content: 'date,type,symbol,quantity,price,fee,amount,currency,note\n',
      dryRun: true,
    },
  },
  'portfolio.summary': { expect: READ_OTHERS, input: { ownerId: victim.id } },
  'portfolio.holdings': { expect: READ_OTHERS, input: { accountId: victimAccount.id } },
  'portfolio.allocation': { expect: READ_OTHERS, input: { ownerId: victim.id } },
  'portfolio.history': { expect: READ_OTHERS, input: { ownerId: victim.id } },
  'portfolio.performance': { expect: READ_OTHERS, input: { ownerId: victim.id } },
  'portfolio.lots': { expect: READ_OTHERS, input: { accountId: victimAccount.id } },
  'portfolio.realized': { expect: READ_OTHERS, input: { ownerId: victim.id } },
  'instruments.search': { expect: REFERENCE, input: { query: someInstrument.symbol } },
  'instruments.get': { expect: REFERENCE, input: { instrumentId: someInstrument.id } },
  'instruments.quote': { expect: REFERENCE, input: { instrumentIds: [someInstrument.id] } },
  'instruments.history': { expect: REFERENCE, input: { instrumentId: someInstrument.id } },
  'instruments.lookup': { expect: REFERENCE, input: { query: someInstrument.symbol } },
  // Allowed callers are refused on the merits: the matrix's server (in-process bus) has no lookup.
  'instruments.request': { expect: PEOPLE, input: { source: 'yahoo', symbol: 'GOOG' } },
  'instruments.myRequests': { expect: PEOPLE, input: {} },
  'instruments.createManual': {
    expect: PEOPLE,
    input: { name: 'Matrix house', currency: 'USD', assetClass: 'real_estate' },
  },
  // Somebody else's manual asset: found by its creator and admins only.
  'instruments.setManualPrice': { expect: ADMIN, input: { instrumentId: VICTIM_MANUAL_ID, price: '123.45' } },
  'advisor.clients': { expect: ADVISOR_ONLY, input: undefined },
  'advisor.instruments': { expect: ADVISOR_ONLY, input: undefined },
  'advisor.client': { expect: ADVISOR_OTHERS, input: { clientId: victim.id } },
  'admin.users.list': { expect: ADMIN, input: {} },
  'admin.users.get': { expect: ADMIN, input: { userId: victim.id } },
  'admin.users.setRole': { expect: ADMIN, input: { userId: victim.id, role: 'investor' } },
  'admin.users.disable': { expect: ADMIN, input: { userId: victim.id } },
  'admin.users.enable': { expect: ADMIN, input: { userId: victim.id } },
  'admin.assignments.list': { expect: ADMIN, input: { advisorId: otherAdvisor.id } },
  'admin.assignments.listWithPeople': { expect: ADMIN, input: {} },
  'admin.assignments.add': { expect: ADMIN, input: { advisorId: otherAdvisor.id, clientId: victim.id } },
  'admin.assignments.remove': { expect: ADMIN, input: { advisorId: otherAdvisor.id, clientId: victim.id } },
  'admin.audit.list': { expect: ADMIN, input: { entityId: victim.id, limit: 10 } },
  'admin.apiClients.create': { expect: ADMIN, input: { name: 'matrix client', scopes: ['portfolio:read'] } },
  'admin.apiClients.list': { expect: ADMIN, input: undefined },
  'admin.apiClients.disable': { expect: ADMIN, input: { clientId: 'MATRIX_CLIENT' } },
  'admin.dlq.list': { expect: ADMIN, input: { limit: 10 } },
  'admin.dlq.replay': { expect: ADMIN, input: { seq: 1 } },
  'admin.prices.held': { expect: ADMIN, input: { limit: 10 } },
  'admin.prices.release': { expect: ADMIN, input: { holdId: MATRIX_HOLD_ID } },
  'admin.prices.reject': { expect: ADMIN, input: { holdId: MATRIX_HOLD_ID } },
  'admin.instruments.add': {
    expect: ADMIN,
    input: {
      definition: { symbol: 'MATRIX', name: 'Matrix instrument', assetClass: 'stock', currency: 'USD' },
    },
  },
  'admin.instruments.update': {
    expect: ADMIN,
    input: { instrumentId: someInstrument.id, name: `${someInstrument.name} (renamed by the matrix)` },
  },
  'admin.instruments.list': { expect: ADMIN, input: { limit: 5 } },
  'admin.instruments.requests': { expect: ADMIN, input: {} },
  'admin.instruments.approve': { expect: ADMIN, input: { requestId: MATRIX_HOLD_ID } },
  'admin.instruments.reject': { expect: ADMIN, input: { requestId: MATRIX_HOLD_ID } },
  'alerts.list': { expect: PEOPLE, input: { ownerId: victim.id } },
  'alerts.create': {
    expect: PEOPLE_OTHERS,
    input: { kind: 'value_below', ownerId: victim.id, threshold: '1' },
  },
  'alerts.update': { expect: OWNER_ONLY, input: { id: VICTIM_RULE_ID, threshold: '2' } },
  'alerts.delete': { expect: OWNER_ONLY, input: { id: VICTIM_RULE_ID } },
  'notifications.list': { expect: PEOPLE, input: {} },
  'notifications.markRead': { expect: OWNER_ONLY, input: { id: VICTIM_NOTE_ID } },
  'notifications.unreadCount': { expect: PEOPLE, input: undefined },
  'notifications.webhook.get': { expect: PEOPLE, input: undefined },
  'notifications.webhook.set': {
    expect: PEOPLE,
    input: { url: 'https://hooks.example.com/tickfolio', secret: 'a-matrix-secret-1234' },
  },
  'notifications.webhook.delete': { expect: PEOPLE, input: undefined },
  'notifications.webhook.deliveries': { expect: PEOPLE_OTHERS, input: { userId: victim.id } },
};

/** One procedure of each kind of expectation, queries and mutations: the sample walked over HTTP too. */
const HTTP_SAMPLE = [
  'auth.me',
  'auth.changePassword',
  'accounts.list',
  'transactions.add',
  'instruments.get',
  'advisor.clients',
  'advisor.client',
  'admin.users.list',
];

describe('authorization matrix', () => {
  let api: TestApi;
  const tokens: Record<Role, string | null> = {
    anonymous: null,
    investor: null,
    advisor: null,
    service: null,
    admin: null,
  };
  let matrixClientId = '';
  /** Held prices for the admin to release and reject when allowed. */
  const holdIds = { release: '', reject: '' };
  /** Instrument requests for the admin to approve and reject when allowed. */
  const requestIds = { approve: '', reject: '' };

  beforeAll(async () => {
    api = await startTestApi({
      DEMO_SEED: String(DEMO.seed),
      DEMO_INVESTORS: String(DEMO.investors),
      RATE_LIMIT_LOGIN_PER_15_MINUTES: '1000',
      RATE_LIMIT_USER_PER_MINUTE: '100000',
      RATE_LIMIT_IP_PER_MINUTE: '100000',
    });
    tokens.investor = await api.login(DEMO_LOGINS.investor);
    tokens.advisor = await api.login(DEMO_LOGINS.advisor);
    tokens.admin = await api.login(DEMO_LOGINS.admin);
    tokens.service = await serviceToken(api, ['portfolio:read']);
    const created = await api.call(tokens.admin, 'admin.apiClients.create', {
      name: 'to disable',
      scopes: ['portfolio:read'],
    });
    matrixClientId = (created.body as { clientId: string }).clientId;
    const url = api.config.database.kind === 'postgres' ? api.config.database.url : '';
    const handle = await openDatabase({ kind: 'postgres', url, max: 1 });
    try {
      await handle.db
        .insertInto('instruments')
        .values({
          id: VICTIM_MANUAL_ID,
          symbol: 'MATRIX-HOUSE',
          name: "The victim's house",
          asset_class: 'real_estate',
          currency: 'USD',
          price_source: 'manual',
          created_by: victim.id,
        })
        .execute();
      await handle.db
        .insertInto('alert_rules')
        .values({
          id: VICTIM_RULE_ID,
          user_id: victim.id,
          owner_id: victim.id,
          kind: 'value_below',
          threshold: '1000',
          currency: victimAccount.baseCurrency,
        })
        .execute();
      await handle.db
        .insertInto('notifications')
        .values({
          id: VICTIM_NOTE_ID,
          user_id: victim.id,
          rule_id: VICTIM_RULE_ID,
          kind: 'value_below',
          payload: '{}',
        })
        .execute();
      for (const [decision, price] of [
        ['release', '1000'],
        ['reject', '2000'],
      ] as const) {
        const { held } = await heldPrices.holdPrice(handle.db, {
          kind: 'price',
          quote: {
            instrument: { instrumentId: someInstrument.id },
            price,
            currency: someInstrument.currency,
            asOf: `${day}T15:00:00.000Z`,
            source: 'matrix',
            kind: 'trade',
          },
          reference: { price: '1', asOf: `${day}T14:00:00.000Z` },
          reason: 'held for the matrix',
        });
        holdIds[decision] = held.id;
      }
      const investorId = data.users.find((u) => u.email === DEMO_LOGINS.investor)!.id;
      for (const [decision, code] of [
        ['approve', '990001'],
        ['reject', '990002'],
      ] as const) {
        const { request } = await instrumentRequests.openRequest(handle.db, {
          requestedBy: investorId,
          source: 'amfi',
          sourceSymbol: code,
          candidate: {
            symbol: code,
            name: `Matrix Fund ${code}`,
            exchange: null,
            currency: 'INR',
            assetClass: 'mutual_fund',
            isin: null,
            amfiCode: code,
            source: 'amfi',
            sourceSymbol: code,
            sources: { amfi: code },
          },
        });
        requestIds[decision] = request.id;
      }
    } finally {
      await handle.close();
    }
  });
  afterAll(() => api?.stop());

  it('covers every procedure of the API', () => {
    const paths = proceduresOf(appRouter)
      .filter((p) => p.type !== 'subscription')
      .map((p) => p.path)
      .sort();
    expect(Object.keys(MATRIX).sort()).toEqual(paths);
  });

  it('victim is nobody the investor or the advisor may see', () => {
    expect(victim.id).not.toBe(investor.id);
    expect(assigned.has(victim.id)).toBe(false);
  });

  it('denies exactly as specified and denied calls write nothing', async () => {
    const url = api.config.database.kind === 'postgres' ? api.config.database.url : '';
    const before = await databaseFingerprint(url);
    const failures: string[] = [];
    for (const role of ROLES.filter((r) => r !== 'admin')) {
      for (const { path } of proceduresOf(appRouter).filter((p) => p.type !== 'subscription')) {
        const entry = MATRIX[path]!;
        const expected = entry.expect[role];
        if (expected === 'allow') continue;
        const res = await api.call(tokens[role], path, entry.input);
        if (res.code !== expected)
          failures.push(`${role} ${path}: expected ${expected}, got ${res.code ?? res.status}`);
      }
    }
    expect(failures).toEqual([]);
    const after = await databaseFingerprint(url);
    // Sign-in attempts may only touch nothing; everything else must be byte-identical.
    expect(after).toEqual(before);
  });

  it('denies the same over HTTP', async () => {
    const url = api.config.database.kind === 'postgres' ? api.config.database.url : '';
    const before = await databaseFingerprint(url);
    const failures: string[] = [];
    for (const role of ROLES.filter((r) => r !== 'admin')) {
      for (const { path, type } of proceduresOf(appRouter).filter((p) => HTTP_SAMPLE.includes(p.path))) {
        const expected = MATRIX[path]!.expect[role];
        if (expected === 'allow') continue;
        const res = await callProcedure(api, tokens[role], path, type, MATRIX[path]!.input);
        if (res.code !== expected)
          failures.push(`${role} ${path}: expected ${expected}, got ${res.code ?? res.status}`);
      }
    }
    expect(failures).toEqual([]);
    expect(await databaseFingerprint(url)).toEqual(before);
  });

  it('allows each role what it may do', async () => {
    const failures: string[] = [];
    for (const role of ROLES) {
      for (const { path } of proceduresOf(appRouter).filter((p) => p.type !== 'subscription')) {
        const entry = MATRIX[path]!;
        if (entry.expect[role] !== 'allow') continue;
        const input =
          path === 'admin.apiClients.disable'
            ? { clientId: matrixClientId }
            : path === 'admin.prices.release'
              ? { holdId: holdIds.release }
              : path === 'admin.prices.reject'
                ? { holdId: holdIds.reject }
                : path === 'admin.instruments.approve'
                  ? { requestId: requestIds.approve }
                  : path === 'admin.instruments.reject'
                    ? { requestId: requestIds.reject }
                    : entry.input;
        const res = await api.call(tokens[role], path, input);
        // Allowed means access was granted: the call may still fail on its merits (bad credentials,
        // an account that still holds positions), but never as a denial and never as a 500.
        const denied =
          res.code === 'NOT_FOUND' ||
          res.code === 'FORBIDDEN' ||
          (res.code === 'UNAUTHORIZED' && !path.startsWith('auth.'));
        if (denied || res.status >= 500) failures.push(`${role} ${path}: got ${res.code ?? res.status}`);
      }
    }
    expect(failures).toEqual([]);
  });
});
