import { DEMO_LOGINS } from '@tickfolio/db/demo';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from '../src/routers';
import { databaseFingerprint } from './support/db-fingerprint';
import { proceduresOf } from './support/raw-call';
import { startTestApi, type TestApi } from './support/test-api';

const procedures = proceduresOf(appRouter);

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
  'limit',
  'cursor',
  'offset',
  'from',
  'to',
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
];

/** Values that are wrong for every field they could land in (no valid currency, email or existing id). */
const hostileValue = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.uuid(),
  fc.constantFrom(
    '-1',
    '0',
    '1e309',
    'NaN',
    'Infinity',
    '0x10',
    ' 1',
    '1.123456789012345678',
    "'; drop table users; --",
  ),
  fc.constantFrom('\u0000', '😀'.repeat(300), '../../etc/passwd', '<script>', '{"$gt":""}'),
  fc.array(fc.string({ maxLength: 8 }), { maxLength: 4 }),
);

const hostileInput = fc.oneof(
  fc.anything({ maxDepth: 2 }),
  fc.dictionary(fc.constantFrom(...FIELDS), hostileValue, { maxKeys: 6 }),
);

/**
 * Random input is validated by the procedures, so it goes to the router in-process (as it arrives over
 * the wire: JSON); what only the HTTP edge sees (malformed JSON) goes over HTTP.
 */
describe('hostile input at every procedure', () => {
  let server: TestApi;
  let tokens: Array<string | null>;
  beforeAll(async () => {
    server = await startTestApi({
      RATE_LIMIT_IP_PER_MINUTE: '1000000',
      RATE_LIMIT_USER_PER_MINUTE: '1000000',
      RATE_LIMIT_LOGIN_PER_15_MINUTES: '1000000',
    });
    const investor = await server.login(DEMO_LOGINS.investor);
    const admin = await server.login(DEMO_LOGINS.admin);
    tokens = [null, investor, admin];
  });
  afterAll(() => server?.stop());

  it('lists procedures to attack', () => {
    expect(procedures.length).toBeGreaterThan(10);
  });

  it('answers random input with typed errors, never a 500, and writes nothing', async () => {
    const before = await databaseFingerprint(
      server.config.database.kind === 'postgres' ? server.config.database.url : '',
    );
    const statuses = new Map<number, number>();
    const attackable = procedures.filter((p) => p.type !== 'subscription');
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...attackable),
        fc.constantFrom(0, 1, 2),
        hostileInput,
        async (procedure, who, input) => {
          const res = await server.call(tokens[who]!, procedure.path, input);
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          // Never a server error. A success is possible only where the input is ignored or harmless
          // (a query, logout of an unknown token); the fingerprint below proves nothing was written.
          expect(res.status, `${procedure.path} ${JSON.stringify(input)}`).toBeLessThan(500);
          if (res.status >= 400) expect(res.code).toMatch(/^[A-Z_]+$/);
        },
      ),
      { numRuns: 600 },
    );
    // Malformed JSON and wrong methods, too.
    for (const p of attackable.slice(0, 10)) {
      const res = await fetch(`${server.url}/trpc/${p.path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[2]}` },
        body: '{"broken": ',
      });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
    }
    const after = await databaseFingerprint(
      server.config.database.kind === 'postgres' ? server.config.database.url : '',
    );
    expect(after).toEqual(before);
    // Most random inputs must have been refused, not silently accepted.
    const refused = [...statuses].filter(([s]) => s >= 400).reduce((n, [, c]) => n + c, 0);
    expect(refused).toBeGreaterThan(500);
  });
});
