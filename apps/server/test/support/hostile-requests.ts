import { DEMO_LOGINS, type DemoData } from '@tickfolio/db/demo';
import { HOSTILE, HOSTILE_LEDGER_CURSORS } from '@tickfolio/testing';
import fc from 'fast-check';
import { demoCast, investorTrade } from './demo-cast';

/** Who sends a request: nobody, the demo investor, the demo advisor, an API client, the admin. */
export type Caller = 'anonymous' | 'investor' | 'advisor' | 'service' | 'admin';
export const CALLERS: readonly Caller[] = ['anonymous', 'investor', 'advisor', 'service', 'admin'];

export interface HostileCall {
  readonly path: string;
  readonly type: string;
  readonly caller: Caller;
  readonly input: unknown;
  /**
   * A valid request with one hostile field put in: it must be refused (4xx) — or, for an import, answer
   * a report that imports nothing — since the field's value is one its field must never take. Random
   * input need not be refused (a query may ignore it); it must only be answered cleanly.
   */
  readonly mustRefuse: boolean;
}

/** Field names the API uses, so random objects reach past "unknown key" into each field's validation. */
const FIELDS = [
  'accountId',
  'ownerId',
  'clientId',
  'advisorId',
  'userId',
  'instrumentId',
  'instrumentIds',
  'transactionId',
  'name',
  'displayName',
  'email',
  'password',
  'query',
  'type',
  'types',
  'tradeDate',
  'quantity',
  'price',
  'fee',
  'amount',
  'currency',
  'baseCurrency',
  'viewCurrency',
  'note',
  'limit',
  'cursor',
  'offset',
  'seq',
  'from',
  'to',
  'entity',
  'entityId',
  'role',
  'format',
  'content',
  'idempotencyKey',
  'refreshToken',
  'scopes',
  'splitFrom',
  'splitTo',
  'includeClosed',
  'dryRun',
  'symbol',
  'source',
  'requestId',
  'definition',
  'status',
  'reason',
];

/** Every probe of every kind: what `alone` puts anywhere. */
const ANY_PROBE: readonly unknown[] = [...Object.values(HOSTILE).flat(), ...HOSTILE_LEDGER_CURSORS];

/** Values wrong for every field they could land in (no valid currency, email or existing id). */
const randomValue = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.uuid(),
  fc.constantFrom(...ANY_PROBE),
  fc.constantFrom('../../etc/passwd', '<script>', '{"$gt":""}', '😀'.repeat(300)),
  fc.array(fc.string({ maxLength: 8 }), { maxLength: 4 }),
);

const randomInput = fc.oneof(
  fc.anything({ maxDepth: 2 }),
  fc.dictionary(fc.constantFrom(...FIELDS), randomValue, { maxKeys: 6 }),
);

/** A quoted CSV cell, whatever it holds. */
function cell(value: unknown): string {
  return `"${String(value).replaceAll('"', '""')}"`;
}

const CSV_HEADER = 'date,type,symbol,quantity,price,fee,amount,currency,note';

/** A Tickfolio CSV file of one valid buy, and the same with one cell replaced by `value`. */
function tickfolioFile(symbol: string, currency: string, column?: string, value?: unknown): string {
  const row: Record<string, unknown> = {
    date: '2024-01-15',
    type: 'buy',
    symbol,
    quantity: '1',
    price: '100',
    fee: '0.5',
    amount: '',
    currency,
    note: 'probe',
  };
  if (column) row[column] = value;
  return `${CSV_HEADER}\n${CSV_HEADER.split(',')
    .map((c) => cell(row[c]))
    .join(',')}\n`;
}

/** A Ghostfolio CSV file of one valid buy with its quantity replaced (exponents are written out). */
function ghostfolioCsvFile(symbol: string, currency: string, quantity: string): string {
  return `Date,Code,DataSource,Currency,Price,Quantity,Action,Fee,Note\n2024-01-15,${symbol},MANUAL,${currency},100,${quantity},buy,0,\n`;
}

/** A Ghostfolio JSON export of one valid buy, with one field replaced (JSON escapes reach the parser). */
function ghostfolioFile(symbol: string, currency: string, field?: string, value?: unknown): string {
  const activity: Record<string, unknown> = {
    type: 'BUY',
    date: '2024-01-15T00:00:00.000Z',
    symbol,
    dataSource: 'MANUAL',
    currency,
    quantity: 1,
    unitPrice: 100,
    fee: 0,
    comment: 'probe',
  };
  if (field) activity[field] = value;
  return JSON.stringify({ activities: [activity] });
}

interface Template {
  readonly path: string;
  readonly type: 'query' | 'mutation';
  readonly caller: Caller;
  readonly valid: Readonly<Record<string, unknown>>;
  /** Per field, values it must refuse. */
  readonly hostile: Readonly<Record<string, readonly unknown[]>>;
}

/**
 * Valid requests of the signed-in people, about their own things, each with the probes its fields must
 * refuse: put one in and the request reaches each field's own validation (and, past the schema, the
 * services'), which a random object rarely does.
 */
function templates(data: DemoData): Template[] {
  const { investor, advisor, assigned } = demoCast(data);
  const trade = investorTrade(data);
  const { account, instrument } = trade;
  const client = [...assigned][0]!;
  const { text, note, decimal, tradePrice, date, futureDate, int8, id } = HOSTILE;
  const tradeDates = [...date, ...futureDate];
  const ids = [...id, ...HOSTILE.text.slice(0, 3)];
  const buy = { ...trade.buy, fee: '0.5', note: 'probe' };
  const symbol = instrument.symbol;
  const cur = instrument.currency;
  // A valid instrument definition, for the one hostile field each probe puts in.
  const definition = { symbol: 'PROBE', name: 'Probe instrument', assetClass: 'stock', currency: 'USD' };
  // In a CSV cell, a JSON number or an empty text is no longer wrong (12.5 is a fine quantity, an empty
  // fee is no fee): files get the probes that stay wrong as text.
  const decimalText = decimal.filter((v): v is string => typeof v === 'string' && v !== '');
  const files = [
    ...text.map((v) => tickfolioFile(symbol, cur, 'symbol', v)),
    ...note.map((v) => tickfolioFile(symbol, cur, 'note', v)),
    ...decimalText.map((v) => tickfolioFile(symbol, cur, 'quantity', v)),
    ...decimalText.map((v) => tickfolioFile(symbol, cur, 'fee', v)),
    ...[...decimalText, ...tradePrice].map((v) => tickfolioFile(symbol, cur, 'price', v)),
    ...tradeDates.map((v) => tickfolioFile(symbol, cur, 'date', v)),
    // Ghostfolio's reader ignores signs (the action gives the direction), so '-1' would be fine there.
    ...[
      '1e999999999',
      '1e40',
      '1.5e-9',
      ...decimalText.filter((v) => !v.startsWith('-') && !v.includes('\u0000')),
    ].map((v) => ghostfolioCsvFile(symbol, cur, v)),
  ];
  const jsonFiles = [
    ...text.map((v) => ghostfolioFile(symbol, cur, 'symbol', v)),
    ...note.map((v) => ghostfolioFile(symbol, cur, 'comment', v)),
    ...tradeDates.map((v) => ghostfolioFile(symbol, cur, 'date', v)),
    ghostfolioFile(symbol, cur, 'quantity', 1e40),
    ghostfolioFile(symbol, cur, 'unitPrice', 0),
    ghostfolioFile(symbol, cur, 'fee', 1e40),
  ];
  // Below every procedure's least limit or above its greatest (5,000).
  const filters = {
    from: [...date],
    to: [...date],
    limit: [0, -1, 1_000_000, 2 ** 53 + 2, 1.5, '10', ...int8],
  };
  return [
    { path: 'accounts.list', type: 'query', caller: 'investor', valid: {}, hostile: { ownerId: ids } },
    {
      path: 'accounts.create',
      type: 'mutation',
      caller: 'investor',
      valid: { name: 'Probe account', baseCurrency: account.baseCurrency },
      hostile: { name: text, baseCurrency: text },
    },
    {
      path: 'accounts.rename',
      type: 'mutation',
      caller: 'investor',
      valid: { accountId: account.id, name: 'Renamed by a probe' },
      hostile: { name: text, accountId: ids },
    },
    {
      path: 'accounts.setCostBasisMethod',
      type: 'mutation',
      caller: 'investor',
      valid: { accountId: account.id, method: 'average' },
      hostile: { accountId: ids, method: [...text, 'FIFO', 'lifo', null, 1] },
    },
    {
      path: 'accounts.close',
      type: 'mutation',
      caller: 'investor',
      valid: { accountId: account.id },
      hostile: { accountId: ids },
    },
    {
      path: 'transactions.list',
      type: 'query',
      caller: 'investor',
      valid: { accountId: account.id, limit: 5 },
      hostile: { ...filters, cursor: [...HOSTILE_LEDGER_CURSORS, ...int8, ...text], types: [text] },
    },
    {
      path: 'transactions.add',
      type: 'mutation',
      caller: 'investor',
      valid: buy,
      hostile: {
        tradeDate: tradeDates,
        quantity: decimal,
        price: [...decimal, ...tradePrice],
        fee: decimal,
        note,
        idempotencyKey: text,
        instrumentId: ids,
        accountId: ids,
        currency: text,
      },
    },
    {
      path: 'transactions.add',
      type: 'mutation',
      caller: 'investor',
      valid: { ...buy, type: 'sell', quantity: '0.00000001' },
      hostile: { price: tradePrice, tradeDate: tradeDates },
    },
    {
      path: 'transactions.add',
      type: 'mutation',
      caller: 'advisor',
      valid: {
        accountId: account.id,
        type: 'deposit',
        tradeDate: '2024-01-15',
        amount: '100',
        currency: 'USD',
      },
      hostile: { amount: decimal, tradeDate: tradeDates, note },
    },
    {
      path: 'transactions.delete',
      type: 'mutation',
      caller: 'investor',
      valid: { transactionId: data.transactions.find((t) => t.accountId === account.id)!.id },
      hostile: { transactionId: ids },
    },
    {
      path: 'transactions.import',
      type: 'mutation',
      caller: 'investor',
      valid: { accountId: account.id, format: 'tickfolio-csv', content: tickfolioFile(symbol, cur) },
      hostile: {
        content: files,
        idempotencyKey: text,
        accountId: ids,
        mode: ['partial', 'SKIP-INVALID', '', 1, true, null, ...text.slice(0, 3)],
      },
    },
    {
      path: 'transactions.import',
      type: 'mutation',
      caller: 'service',
      valid: { accountId: account.id, format: 'ghostfolio-json', content: ghostfolioFile(symbol, cur) },
      hostile: { content: jsonFiles },
    },
    {
      path: 'portfolio.history',
      type: 'query',
      caller: 'investor',
      valid: {},
      hostile: { ...filters, ownerId: ids },
    },
    {
      path: 'portfolio.performance',
      type: 'query',
      caller: 'investor',
      valid: { asOf: '2024-06-28', from: '2024-01-02' },
      hostile: { asOf: tradeDates, from: date, benchmarkId: ids, accountId: ids, ownerId: ids },
    },
    {
      path: 'portfolio.holdings',
      type: 'query',
      caller: 'service',
      valid: { ownerId: investor.id },
      hostile: { ownerId: ids, accountId: ids },
    },
    {
      path: 'instruments.search',
      type: 'query',
      caller: 'investor',
      valid: { query: symbol.slice(0, 2) },
      hostile: { query: text, limit: filters.limit },
    },
    {
      path: 'instruments.history',
      type: 'query',
      caller: 'investor',
      valid: { instrumentId: instrument.id, from: '2024-01-01T00:00:00Z' },
      hostile: { from: date, to: date, instrumentId: ids, limit: filters.limit },
    },
    {
      path: 'instruments.quote',
      type: 'query',
      caller: 'investor',
      valid: { instrumentIds: [instrument.id] },
      hostile: { instrumentIds: ids.map((i) => [instrument.id, i]) },
    },
    {
      path: 'advisor.clients',
      type: 'query',
      caller: 'advisor',
      valid: { viewCurrency: 'EUR' },
      hostile: { viewCurrency: text },
    },
    {
      path: 'instruments.lookup',
      type: 'query',
      caller: 'investor',
      valid: { query: symbol },
      hostile: { query: text, limit: filters.limit },
    },
    {
      path: 'instruments.request',
      type: 'mutation',
      caller: 'investor',
      valid: { source: 'yahoo', symbol },
      hostile: { source: [...text, 'YAHOO', 'a b', '../etc'], symbol: text },
    },
    {
      path: 'admin.instruments.add',
      type: 'mutation',
      caller: 'admin',
      valid: { definition },
      hostile: {
        definition: [
          ...text.map((v) => ({ ...definition, name: v })),
          ...text.map((v) => ({ ...definition, symbol: v })),
          ...text.map((v) => ({ ...definition, exchange: v })),
          { ...definition, currency: 'XXX' },
          { ...definition, assetClass: 'house' },
          { ...definition, isin: 'US0378331005 ' },
          { ...definition, amfiCode: '12' },
          { ...definition, sources: { 'no such source!': 'X' } },
          { ...definition, sources: Object.fromEntries(text.map((_, i) => [`s${i}`, 'X'])) },
        ],
      },
    },
    {
      path: 'admin.instruments.update',
      type: 'mutation',
      caller: 'admin',
      valid: { instrumentId: instrument.id, name: 'Renamed by a probe' },
      hostile: {
        instrumentId: ids,
        name: text,
        symbol: text,
        isin: ['US037833100', 'us0378331005'],
        sources: [{ yahoo: '\u0000' }, { 'Bad Source': 'X' }],
      },
    },
    {
      path: 'admin.instruments.reject',
      type: 'mutation',
      caller: 'admin',
      valid: { requestId: '00000000-0000-4000-8000-0000000000c1', reason: 'probe' },
      hostile: { requestId: ids, reason: text },
    },
    {
      path: 'instruments.createManual',
      type: 'mutation',
      caller: 'investor',
      valid: { name: 'Probe house', currency: account.baseCurrency, assetClass: 'real_estate' },
      hostile: {
        name: text,
        currency: [...text, 'usd', 'XYZ', 'EURO'],
        assetClass: [...text, 'house'],
        symbol: text,
        liability: ['yes', 1, null],
      },
    },
    {
      path: 'instruments.setManualPrice',
      type: 'mutation',
      caller: 'admin',
      valid: { instrumentId: instrument.id, price: '12.5' },
      hostile: { instrumentId: ids, price: [...decimal, '0'], asOf: [...date, ...futureDate] },
    },
    {
      path: 'advisor.client',
      type: 'query',
      caller: 'advisor',
      valid: { clientId: client },
      hostile: { clientId: ids },
    },
    {
      path: 'auth.register',
      type: 'mutation',
      caller: 'anonymous',
      valid: {
        email: 'probe@example.com',
        password: 'a long enough probe password',
        displayName: 'Probe',
        baseCurrency: 'USD',
      },
      hostile: { displayName: text, email: text, baseCurrency: text },
    },
    {
      path: 'auth.login',
      type: 'mutation',
      caller: 'anonymous',
      valid: { email: DEMO_LOGINS.investor, password: 'not the password' },
      hostile: { email: text, password: ['', 'p'.repeat(300)] },
    },
    {
      path: 'admin.users.list',
      type: 'query',
      caller: 'admin',
      valid: { limit: 5 },
      hostile: { query: text, limit: filters.limit, offset: [-1, 1_000_001, ...int8] },
    },
    {
      path: 'admin.users.setRole',
      type: 'mutation',
      caller: 'admin',
      valid: { userId: investor.id, role: 'advisor' },
      hostile: { userId: ids, role: text },
    },
    {
      path: 'admin.assignments.add',
      type: 'mutation',
      caller: 'admin',
      valid: { advisorId: advisor.id, clientId: investor.id },
      hostile: { advisorId: ids, clientId: ids },
    },
    {
      path: 'admin.audit.list',
      type: 'query',
      caller: 'admin',
      valid: { limit: 5 },
      hostile: { cursor: [...int8, '0x10', ...text], entity: text, entityId: text, actorId: ids },
    },
    {
      path: 'admin.apiClients.create',
      type: 'mutation',
      caller: 'admin',
      valid: { name: 'Probe client', scopes: ['portfolio:read'] },
      hostile: { name: text, scopes: [text] },
    },
    {
      path: 'admin.apiClients.disable',
      type: 'mutation',
      caller: 'admin',
      valid: { clientId: 'tfc_probe' },
      hostile: { clientId: text },
    },
    {
      path: 'admin.dlq.replay',
      type: 'mutation',
      caller: 'admin',
      valid: { seq: 1 },
      hostile: { seq: [0, -1, 2 ** 53 + 2, 1e308, 1.5, ...int8] },
    },
  ];
}

/** A template with one of its fields replaced by one of that field's probes. */
function oneHostileField(template: Template): fc.Arbitrary<HostileCall> {
  const fields = Object.keys(template.hostile);
  return fc
    .constantFrom(...fields)
    .chain((field) => fc.constantFrom(...template.hostile[field]!).map((value) => ({ field, value })))
    .map(({ field, value }) => ({
      path: template.path,
      type: template.type,
      caller: template.caller,
      input: { ...template.valid, [field]: value },
      mustRefuse: true,
    }));
}

/**
 * Requests to every procedure (but the live subscriptions, which the live-stream tests attack): valid
 * ones with one hostile field (half of them), single probes anywhere, and random input from anyone.
 */
export function hostileCalls(
  data: DemoData,
  procedures: readonly { path: string; type: string }[],
): fc.Arbitrary<HostileCall> {
  const attackable = procedures.filter((p) => p.type !== 'subscription');
  const random = fc.record({
    procedure: fc.constantFrom(...attackable),
    caller: fc.constantFrom(...CALLERS),
    input: fc.oneof(
      randomInput,
      fc.constantFrom(...ANY_PROBE),
      fc
        .record({ field: fc.constantFrom(...FIELDS), probe: fc.constantFrom(...ANY_PROBE) })
        .map(({ field, probe }) => ({ [field]: probe })),
    ),
  });
  return fc.oneof(
    { weight: 1, arbitrary: fc.oneof(...templates(data).map(oneHostileField)) },
    {
      weight: 1,
      arbitrary: random.map(({ procedure, caller, input }) => ({
        path: procedure.path,
        type: procedure.type,
        caller,
        input,
        mustRefuse: false,
      })),
    },
  );
}

/** What a refused-or-harmless answer looks like for a call that had to be refused. */
export function refusedAsItMust(call: HostileCall, status: number, body: unknown): boolean {
  if (!call.mustRefuse || status >= 400) return true;
  // An import refuses a file by its report: nothing imported, the bad rows listed.
  const report = (body as { result?: { data?: { imported?: number; errorCount?: number } } }).result?.data;
  return call.path === 'transactions.import' && report?.imported === 0 && (report.errorCount ?? 0) > 0;
}

export interface OAuthRequest {
  readonly contentType: string;
  readonly body: string;
  readonly authorization?: string;
}

/** Form-encoded as HTTP Basic credentials are (a lone surrogate cannot be: it goes as it is). */
function formEncoded(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Token requests: form or JSON bodies with hostile fields, hostile HTTP Basic credentials, garbage. */
export const hostileTokenRequests: fc.Arbitrary<OAuthRequest> = (() => {
  const { text } = HOSTILE;
  const field = (valid: readonly string[]) =>
    fc.option(fc.constantFrom(...valid, ...text), { nil: undefined });
  const fields = fc.record({
    grant_type: field(['client_credentials', 'password']),
    client_id: field(['tfc_no-such-client']),
    client_secret: field(['not-the-secret']),
    scope: field(['portfolio:read', 'portfolio:read admin']),
  });
  const defined = (o: Record<string, string | undefined>) =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Record<string, string>;
  const form = fields.map((f) => ({
    contentType: 'application/x-www-form-urlencoded',
    body: new URLSearchParams(defined(f)).toString(),
  }));
  const json = fields.map((f) => ({ contentType: 'application/json', body: JSON.stringify(defined(f)) }));
  const basic = fc
    .record({ id: fc.constantFrom('tfc_no-such-client', ...text), secret: fc.constantFrom('x', ...text) })
    .map(({ id, secret }) => ({
      contentType: 'application/x-www-form-urlencoded',
      body: 'grant_type=client_credentials',
      authorization: `Basic ${Buffer.from(`${formEncoded(id)}:${secret}`).toString('base64')}`,
    }));
  const garbage = fc
    .record({
      contentType: fc.constantFrom('application/json', 'application/x-www-form-urlencoded', 'text/plain'),
      body: fc.oneof(fc.string({ maxLength: 200 }), fc.constantFrom('{', '%', 'grant_type=%ZZ', '\u0000')),
      authorization: fc.option(fc.constantFrom('Basic %%%', 'Basic AAAA', 'Bearer x', 'Basic Og=='), {
        nil: undefined,
      }),
    })
    .map((r) => (r.authorization === undefined ? { contentType: r.contentType, body: r.body } : r));
  return fc.oneof(form, json, basic, garbage);
})();
