import { describe, expect, it } from 'vitest';
import {
  accounts,
  advisorClients,
  alerts,
  apiClients,
  auditLog,
  constraintViolation,
  type Db,
  fxRates,
  instruments,
  notifications,
  prices,
  refreshTokens,
  users,
  valuationSnapshots,
} from '../src';
import { databaseForBlock, engines } from './engines';
import { newAccount, newInstrument, newUser, unique } from './fixtures';

const DAY = 24 * 3600 * 1000;

describe.each(engines)('repositories on $name', (engine) => {
  let db: Db;
  databaseForBlock(engine, (opened) => {
    db = opened;
  });

  it('users: create, find by email ignoring case, role and disable revoke tokens', async () => {
    const email = `${unique('Ann')}@Example.com`;
    const user = await users.createUser(db, {
      email,
      displayName: 'Ann',
      passwordHash: 'h1',
      baseCurrency: 'GBP',
    });
    expect(user).toMatchObject({
      email,
      role: 'investor',
      baseCurrency: 'GBP',
      disabledAt: null,
      tokenVersion: 0,
    });
    expect(await users.findUserByEmail(db, email.toUpperCase())).toEqual(user);
    expect((await users.findCredentialsByEmail(db, email))?.passwordHash).toBe('h1');
    expect(await users.findUserByEmail(db, 'nobody@example.com')).toBeUndefined();

    const advisor = await users.setUserRole(db, user.id, 'advisor');
    expect(advisor).toMatchObject({ role: 'advisor', tokenVersion: 1 });
    const disabled = await users.disableUser(db, user.id);
    expect(disabled?.disabledAt).not.toBeNull();
    expect(disabled?.tokenVersion).toBe(2);
    expect(await users.findUsersByIds(db, [user.id, '00000000-0000-4000-8000-000000000000'])).toEqual([
      disabled,
    ]);
    expect(await users.findUsersByIds(db, [])).toEqual([]);
    expect((await users.enableUser(db, user.id))?.disabledAt).toBeNull();
    expect((await users.updateUserProfile(db, user.id, { displayName: 'Annie' }))?.displayName).toBe('Annie');
    const duplicate = await users
      .createUser(db, { email: email.toLowerCase(), displayName: 'x', baseCurrency: 'EUR' })
      .catch((e: unknown) => e);
    expect(constraintViolation(duplicate)).toEqual({
      kind: 'unique',
      constraint: 'users_email_lower_unique',
    });
    const unknownCurrency = await users
      .createUser(db, { email: `${unique('c')}@x.io`, displayName: 'x', baseCurrency: 'XXX' as 'EUR' })
      .catch((e: unknown) => e);
    expect(constraintViolation(unknownCurrency)?.kind).toBe('foreign_key');
  });

  it('advisor clients: assign idempotently, list both ways, unassign, refuse self', async () => {
    const advisor = await newUser(db, 'advisor');
    const [a, b] = [await newUser(db), await newUser(db)];
    expect(await advisorClients.assignClient(db, advisor.id, a.id)).toBe(true);
    expect(await advisorClients.assignClient(db, advisor.id, a.id)).toBe(false);
    await advisorClients.assignClient(db, advisor.id, b.id);
    expect((await advisorClients.listClientsOfAdvisor(db, advisor.id)).map((u) => u.id).sort()).toEqual(
      [a.id, b.id].sort(),
    );
    expect(await advisorClients.listAdvisorsOfClient(db, a.id)).toEqual([advisor]);
    expect(await advisorClients.isClientOf(db, advisor.id, a.id)).toBe(true);
    expect(await advisorClients.unassignClient(db, advisor.id, a.id)).toBe(true);
    expect(await advisorClients.isClientOf(db, advisor.id, a.id)).toBe(false);
    const self = await advisorClients.assignClient(db, advisor.id, advisor.id).catch((e: unknown) => e);
    expect(constraintViolation(self)?.kind).toBe('check');
  });

  it('refresh tokens: rotate once, treat reuse as theft, refuse expired', async () => {
    const user = await newUser(db);
    const expiresAt = new Date(Date.now() + DAY);
    const first = await refreshTokens.createRefreshToken(db, {
      userId: user.id,
      tokenHash: unique('t'),
      expiresAt,
    });
    const rotated = await refreshTokens.rotateRefreshToken(db, first.tokenHash, {
      tokenHash: unique('t'),
      expiresAt,
    });
    expect(rotated.status).toBe('rotated');
    if (rotated.status !== 'rotated') return;
    expect(rotated.token.familyId).toBe(first.familyId);
    expect((await refreshTokens.findRefreshTokenByHash(db, first.tokenHash))?.replacedBy).toBe(
      rotated.token.id,
    );

    const reuse = await refreshTokens.rotateRefreshToken(db, first.tokenHash, {
      tokenHash: unique('t'),
      expiresAt,
    });
    expect(reuse).toEqual({ status: 'reused', userId: user.id, familyId: first.familyId });
    expect(
      (await refreshTokens.findRefreshTokenByHash(db, rotated.token.tokenHash))?.revokedAt,
    ).not.toBeNull();
    expect(
      await refreshTokens.rotateRefreshToken(db, rotated.token.tokenHash, {
        tokenHash: unique('t'),
        expiresAt,
      }),
    ).toEqual({ status: 'invalid' });

    const old = await refreshTokens.createRefreshToken(db, {
      userId: user.id,
      tokenHash: unique('t'),
      expiresAt: new Date(Date.now() - 1000),
    });
    expect(
      (await refreshTokens.rotateRefreshToken(db, old.tokenHash, { tokenHash: unique('t'), expiresAt }))
        .status,
    ).toBe('invalid');
    expect(await refreshTokens.deleteExpiredRefreshTokens(db, new Date())).toBeGreaterThanOrEqual(1);
    expect(await refreshTokens.findRefreshTokenByHash(db, old.tokenHash)).toBeUndefined();
  });

  it('api clients: create, authenticate, rescope, disable', async () => {
    const clientId = unique('fetcher');
    const client = await apiClients.createApiClient(db, {
      clientId,
      secretHash: 's',
      name: 'Fetcher',
      scopes: ['prices:write'],
    });
    expect(client.scopes).toEqual(['prices:write']);
    expect(await apiClients.findApiClientCredentials(db, clientId)).toEqual({ client, secretHash: 's' });
    expect((await apiClients.setApiClientScopes(db, clientId, ['prices:write', 'fx:write']))?.scopes).toEqual(
      ['prices:write', 'fx:write'],
    );
    const disabled = await apiClients.disableApiClient(db, clientId);
    expect(disabled?.disabledAt).not.toBeNull();
    expect((await apiClients.disableApiClient(db, clientId))?.disabledAt).toBe(disabled?.disabledAt);
    expect(await apiClients.findApiClientsByClientIds(db, [clientId, unique('missing')])).toEqual([disabled]);
    expect(await apiClients.findApiClientsByClientIds(db, [])).toEqual([]);
  });

  it('accounts: per-owner lists, closing frees the name', async () => {
    const owner = await newUser(db);
    const main = await accounts.createAccount(db, { ownerId: owner.id, name: ' Main ', baseCurrency: 'USD' });
    expect(main.name).toBe('Main');
    const closed = await accounts.closeAccount(db, main.id);
    expect(closed?.closedAt).not.toBeNull();
    await accounts.createAccount(db, { ownerId: owner.id, name: 'Main', baseCurrency: 'USD' });
    expect(await accounts.listAccountsByOwner(db, owner.id)).toHaveLength(1);
    expect(await accounts.listAccountsByOwner(db, owner.id, { includeClosed: true })).toHaveLength(2);
    expect(await accounts.findAccountById(db, main.id)).toEqual(closed);
  });

  it('instruments: identifiers per source, lookups', async () => {
    const symbol = unique('MUV2');
    const instrument = await instruments.createInstrument(db, {
      symbol,
      name: 'Munich Re',
      assetClass: 'stock',
      currency: 'EUR',
      exchange: 'XETR',
      identifiers: {
        isin: 'DE0008430026',
        sources: { yahoo: `${symbol}.DE`, alphavantage: `${symbol}.DEX` },
      },
    });
    expect(instrument.identifiers).toEqual({
      isin: 'DE0008430026',
      sources: { yahoo: `${symbol}.DE`, alphavantage: `${symbol}.DEX` },
    });
    expect(await instruments.findInstrumentByIdentifier(db, 'yahoo', `${symbol}.DE`)).toEqual(instrument);
    expect(await instruments.findInstrumentBySymbol(db, symbol, 'XETR')).toEqual(instrument);
    expect(await instruments.findInstrumentBySymbol(db, symbol)).toBeUndefined();
    expect((await instruments.searchInstruments(db, symbol.slice(0, 9))).map((i) => i.id)).toContain(
      instrument.id,
    );
    await instruments.setInstrumentIdentifier(db, instrument.id, 'yahoo', `${symbol}.F`);
    expect((await instruments.findInstrumentById(db, instrument.id))?.identifiers.sources?.yahoo).toBe(
      `${symbol}.F`,
    );

    const other = await newInstrument(db);
    const taken = await instruments
      .setInstrumentIdentifier(db, other.id, 'yahoo', `${symbol}.F`)
      .catch((e: unknown) => e);
    expect(constraintViolation(taken)?.kind).toBe('unique');
    const fund = await instruments.createInstrument(db, {
      symbol: unique('FUND'),
      name: 'A fund',
      assetClass: 'mutual_fund',
      currency: 'INR',
      identifiers: { amfiCode: unique('1') },
    });
    expect(fund.exchange).toBeNull();
    expect(await instruments.findInstrumentsByIds(db, [fund.id, other.id])).toHaveLength(2);
  });

  it('prices: idempotent history, latest only moves forward, previous close carried', async () => {
    const instrument = await newInstrument(db);
    const quote = (asOf: string, price: bigint, kind: prices.PriceKind = 'trade', source = 'yahoo') =>
      prices.recordPrice(db, { instrumentId: instrument.id, asOf, price, currency: 'USD', source, kind });
    expect(await quote('2024-01-02T21:00:00Z', 100_00000000n, 'close')).toEqual({
      stored: true,
      latest: true,
    });
    expect(await quote('2024-01-02T21:00:00Z', 100_00000000n, 'close')).toEqual({
      stored: false,
      latest: false,
    });
    expect(await quote('2024-01-03T15:00:00Z', 101_12345678n)).toEqual({ stored: true, latest: true });
    // A late quote from an earlier moment is history only.
    expect(await quote('2024-01-03T14:00:00Z', 99_00000000n)).toEqual({ stored: true, latest: false });
    // The same moment from another source: history, but the first stays latest.
    expect(await quote('2024-01-03T15:00:00Z', 101_00000000n, 'trade', 'other')).toEqual({
      stored: true,
      latest: false,
    });
    const [latest] = await prices.getLatestPrices(db, [instrument.id]);
    expect(latest).toMatchObject({
      instrumentId: instrument.id,
      price: 101_12345678n,
      asOf: '2024-01-03T15:00:00.000Z',
      kind: 'trade',
      previousClose: 100_00000000n,
    });
    await quote('2024-01-03T16:00:00Z', 102_00000000n);
    expect((await prices.getLatestPrices(db, [instrument.id]))[0]?.previousClose).toBe(100_00000000n);
    const history = await prices.getPriceHistory(db, instrument.id, { source: 'yahoo' });
    expect(history.map((p) => p.price)).toEqual([100_00000000n, 99_00000000n, 101_12345678n, 102_00000000n]);
    expect(await prices.getLatestPrices(db, [])).toEqual([]);

    const batch = await prices.recordPrices(db, [
      {
        instrumentId: instrument.id,
        asOf: '2024-01-04T15:00:00Z',
        price: 1n,
        currency: 'USD',
        source: 'b',
        kind: 'trade',
      },
      {
        instrumentId: instrument.id,
        asOf: '2024-01-04T15:00:00Z',
        price: 1n,
        currency: 'USD',
        source: 'b',
        kind: 'trade',
      },
    ]);
    expect(batch).toEqual({ stored: 1, latest: 1 });
  });

  it('prices: the last price before a day, for the close a day is measured from', async () => {
    const [traded, quiet, late] = await Promise.all([
      newInstrument(db),
      newInstrument(db),
      newInstrument(db),
    ]);
    const quote = (instrumentId: string, asOf: string, price: bigint) =>
      prices.recordPrice(db, { instrumentId, asOf, price, currency: 'USD', source: 'yahoo', kind: 'trade' });
    await quote(traded.id, '2024-01-02T15:00:00Z', 98_00000000n);
    await quote(traded.id, '2024-01-02T20:59:00Z', 99_50000000n);
    await quote(traded.id, '2024-01-03T10:00:00Z', 101_00000000n);
    // Last traded three days before: still its previous close.
    await quote(quiet.id, '2023-12-30T20:00:00Z', 7_25000000n);
    // Only older than the window: none.
    await quote(late.id, '2023-11-01T20:00:00Z', 1_00000000n);
    const closes = await prices.getLastPricesBefore(db, {
      before: '2024-01-03T00:00:00Z',
      since: '2023-12-03T00:00:00Z',
    });
    expect(closes.get(traded.id)).toBe(99_50000000n);
    expect(closes.get(quiet.id)).toBe(7_25000000n);
    expect(closes.has(late.id)).toBe(false);
  });

  it('fx rates: history plus current, which only moves forward', async () => {
    const rate = (asOf: string, value: bigint) =>
      fxRates.upsertFxRate(db, { base: 'EUR', quote: 'JPY', rate: value, asOf, source: 'ecb' });
    expect(await rate('2024-01-02T16:00:00Z', 157_123456789012n)).toBe(true);
    expect(await rate('2024-01-01T16:00:00Z', 150_000000000000n)).toBe(false);
    expect(await rate('2024-01-02T16:00:00Z', 157_123456789012n)).toBe(false);
    expect(await fxRates.getFxRate(db, 'EUR', 'JPY')).toEqual({
      base: 'EUR',
      quote: 'JPY',
      rate: 157_123456789012n,
      asOf: '2024-01-02T16:00:00.000Z',
      source: 'ecb',
    });
    expect((await fxRates.listFxRates(db)).map((r) => `${r.base}${r.quote}`)).toContain('EURJPY');
    const history = await db
      .selectFrom('fx_rate_history')
      .select('rate')
      .where('quote', '=', 'JPY')
      .execute();
    expect(history.map((r) => r.rate).sort()).toEqual(['150', '157.123456789012']);
  });

  it('valuation snapshots: exact decimals over time, replace at one instant', async () => {
    const owner = await newUser(db);
    const snap = (takenAt: string, marketValue: string) =>
      valuationSnapshots.recordValuationSnapshot(db, {
        ownerId: owner.id,
        takenAt,
        currency: 'EUR',
        marketValue,
        costBasis: '1000.00',
        dayChange: '-12.5',
      });
    await snap('2024-01-01T00:00:00Z', '1234.56');
    await snap('2024-01-02T00:00:00Z', '99999999999999.99');
    await snap('2024-01-02T00:00:00Z', '99999999999999.98');
    const series = await valuationSnapshots.listValuationSnapshots(db, owner.id, { from: '2024-01-01' });
    expect(series.map((s) => [s.takenAt, s.marketValue])).toEqual([
      ['2024-01-01T00:00:00.000Z', '1234.56'],
      ['2024-01-02T00:00:00.000Z', '99999999999999.98'],
    ]);
    expect((await valuationSnapshots.latestValuationSnapshot(db, owner.id))?.dayChange).toBe('-12.5');
    await expect(snap('2024-01-03T00:00:00Z', 'NaN')).rejects.toThrow();
  });

  it('alerts and notifications', async () => {
    const user = await newUser(db);
    const account = await newAccount(db, user.id);
    const rule = await alerts.createAlertRule(db, {
      userId: user.id,
      kind: 'value_below',
      accountId: account.id,
      threshold: '10000.50',
      currency: 'EUR',
    });
    expect(rule).toMatchObject({ threshold: '10000.5', active: true, lastTriggeredAt: null });
    const noCurrency = await alerts
      .createAlertRule(db, { userId: user.id, kind: 'value_below', threshold: '1' })
      .catch((e: unknown) => e);
    expect(constraintViolation(noCurrency)?.kind).toBe('check');
    // A firing counts once: a second evaluator that saw the same state is refused, and so is one
    // inside the cooldown after the rule was re-armed.
    const at = new Date();
    const seen = { id: rule.id, version: rule.version, crossings: 0 };
    expect(await alerts.fireAlertRule(db, seen, at, 3600)).toBe(1);
    expect(await alerts.fireAlertRule(db, seen, at, 3600)).toBeUndefined();
    expect(await alerts.rearmAlertRule(db, { ...seen, crossings: 1 })).toBe(true);
    const again = { ...seen, crossings: 1 };
    expect(await alerts.fireAlertRule(db, again, new Date(at.getTime() + 60_000), 3600)).toBeUndefined();
    expect(await alerts.fireAlertRule(db, again, new Date(at.getTime() + 3_600_000), 3600)).toBe(2);
    expect((await alerts.listAlertRules(db)).map((r) => r.id)).toContain(rule.id);
    const stranger = await newUser(db);
    expect(await alerts.setAlertRuleActive(db, stranger.id, rule.id, false)).toBeUndefined();
    expect((await alerts.setAlertRuleActive(db, user.id, rule.id, false))?.active).toBe(false);
    expect((await alerts.listAlertRules(db)).map((r) => r.id)).not.toContain(rule.id);
    expect(await alerts.listAlertRules(db, { userId: user.id })).toHaveLength(1);

    const note = await notifications.createNotification(db, {
      userId: user.id,
      ruleId: rule.id,
      kind: 'value_below',
      payload: [{ value: '9999.00' }],
      dedupKey: `${rule.id}:1`,
    });
    if (!note) throw new Error('the notification was not stored');
    expect(
      await notifications.createNotification(db, {
        userId: user.id,
        kind: 'value_below',
        dedupKey: `${rule.id}:1`,
      }),
    ).toBeUndefined();
    expect(await notifications.countUnreadNotifications(db, user.id)).toBe(1);
    expect(note.payload).toEqual([{ value: '9999.00' }]);
    expect(await notifications.listNotifications(db, user.id, { unreadOnly: true })).toEqual([note]);
    expect(await notifications.markNotificationRead(db, stranger.id, note.id)).toBe(false);
    expect(await notifications.markNotificationRead(db, user.id, note.id)).toBe(true);
    expect(await notifications.listNotifications(db, user.id, { unreadOnly: true })).toEqual([]);
    expect(await alerts.deleteAlertRule(db, user.id, rule.id)).toBe(true);
    expect((await notifications.listNotifications(db, user.id))[0]?.ruleId).toBeNull();
  });

  it('audit log: append with bigints, page newest first', async () => {
    const actor = await newUser(db);
    const entity = unique('entity');
    for (const n of [1n, 2n, 3n]) {
      await auditLog.appendAudit(db, {
        actorId: actor.id,
        action: 'thing.update',
        entity,
        entityId: 'e1',
        before: { quantity: n - 1n },
        after: { quantity: n },
        requestId: 'r',
      });
    }
    const page = await auditLog.listAudit(db, { entity, limit: 2 });
    expect(page.map((e) => e.after)).toEqual([{ quantity: '3' }, { quantity: '2' }]);
    const rest = await auditLog.listAudit(db, { entity, beforeId: page[1]?.id });
    expect(rest.map((e) => e.after)).toEqual([{ quantity: '1' }]);
    expect(rest[0]?.actorId).toBe(actor.id);
  });
});
