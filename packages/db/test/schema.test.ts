import { CURRENCY_CODES, minorUnits } from '@tickfolio/core';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import {
  appliedMigrations,
  constraintViolation,
  type Db,
  ensurePriceHistoryPartitions,
  listPriceHistoryPartitions,
  migrateToLatest,
  prices,
} from '../src';
import { migrations } from '../src/migrations';
import { databaseForBlock, engines } from './engines';
import { newAccount, newInstrument, newUser, unique } from './fixtures';

/** The violation a failed promise was rejected with. */
async function violation(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, 'expected the database to refuse').toBeDefined();
  return constraintViolation(error);
}

describe.each(engines)('schema on $name', (engine) => {
  let db: Db;
  databaseForBlock(engine, (opened) => {
    db = opened;
  });

  it('migrates idempotently', async () => {
    expect(await migrateToLatest(db)).toEqual([]);
    expect(await appliedMigrations(db)).toEqual(Object.keys(migrations));
  });

  it("knows every currency core knows, at core's minor units", async () => {
    const rows = await db.selectFrom('currencies').select(['code', 'minor_units']).orderBy('code').execute();
    const stored = new Map(rows.map((r) => [r.code, r.minor_units]));
    // A currency an ICU update brings to core needs a migration adding it: this lists the ones missing.
    expect(CURRENCY_CODES.filter((c) => stored.get(c) !== minorUnits(c))).toEqual([]);
    expect(stored.get('NZD')).toBe(2);
    expect(stored.get('KWD')).toBe(3);
  });

  it('keeps liabilities to manual assets and asset classes to the known ones', async () => {
    const base = { name: 'x', currency: 'USD', asset_class: 'other' };
    expect(
      await violation(
        db
          .insertInto('instruments')
          .values({ ...base, symbol: unique('LOAN'), liability: true })
          .execute(),
      ),
    ).toMatchObject({ constraint: 'instruments_liability_manual' });
    expect(
      await violation(
        db
          .insertInto('instruments')
          .values({ ...base, symbol: unique('X'), asset_class: 'tulips' })
          .execute(),
      ),
    ).toMatchObject({ constraint: 'instruments_asset_class_check' });
    await db
      .insertInto('instruments')
      .values({ ...base, symbol: unique('LOAN'), price_source: 'manual', liability: true })
      .execute();
  });

  it('returns numeric and int8 as strings, exactly', async () => {
    const { rows } = await sql<{ n: unknown; i: unknown }>`
      select '123456789012.12345678'::numeric as n, 9007199254740993::int8 as i`.execute(db);
    expect(rows[0]).toEqual({ n: '123456789012.12345678', i: '9007199254740993' });
  });

  it('round-trips a large amount exactly', async () => {
    const account = await newAccount(db);
    const instrument = await newInstrument(db);
    await db
      .insertInto('transactions')
      .values({
        account_id: account.id,
        type: 'buy',
        instrument_id: instrument.id,
        trade_date: new Date(),
        quantity: '123456789012.12345678',
        price: '0.00000001',
        currency: 'USD',
      })
      .execute();
    const row = await db
      .selectFrom('transactions')
      .select(['quantity', 'price', 'fee'])
      .where('account_id', '=', account.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ quantity: '123456789012.12345678', price: '0.00000001', fee: '0' });
  });

  it('refuses non-positive quantities, excess decimals, NaN and fields a type needs', async () => {
    const account = await newAccount(db);
    const instrument = await newInstrument(db);
    const buy = {
      account_id: account.id,
      type: 'buy',
      instrument_id: instrument.id,
      trade_date: new Date(),
      quantity: '1',
      price: '1',
      currency: 'USD',
    };
    for (const changes of [
      { quantity: '0' },
      { quantity: '-1' },
      { quantity: '0.000000001' },
      { quantity: 'NaN' },
      { price: '-0.01' },
      { fee: '-1' },
      { instrument_id: null },
      { price: null },
      { type: 'gift' },
      { type: 'deposit' },
    ]) {
      const refused = await violation(
        db
          .insertInto('transactions')
          .values({ ...buy, ...changes })
          .execute(),
      );
      expect(refused?.kind, JSON.stringify(changes)).toBe('check');
    }
  });

  it('refuses unknown currencies and orphans', async () => {
    const user = await newUser(db);
    expect(
      await violation(
        db.insertInto('accounts').values({ owner_id: user.id, name: 'x', base_currency: 'XYZ' }).execute(),
      ),
    ).toEqual({ kind: 'foreign_key', constraint: 'accounts_base_currency_fkey' });
    const orphan = await violation(
      db
        .insertInto('accounts')
        .values({ owner_id: '00000000-0000-0000-0000-000000000000', name: 'x', base_currency: 'EUR' })
        .execute(),
    );
    expect(orphan?.kind).toBe('foreign_key');
    // An account with a ledger cannot go away under it.
    const account = await newAccount(db);
    await db
      .insertInto('transactions')
      .values({
        account_id: account.id,
        type: 'deposit',
        trade_date: new Date(),
        amount: '10',
        currency: 'EUR',
      })
      .execute();
    expect((await violation(db.deleteFrom('accounts').where('id', '=', account.id).execute()))?.kind).toBe(
      'foreign_key',
    );
  });

  it('refuses a duplicate idempotency key on one account, not across accounts', async () => {
    const [a, b] = [await newAccount(db), await newAccount(db)];
    const deposit = {
      type: 'deposit',
      trade_date: new Date(),
      amount: '10',
      currency: 'EUR',
      idempotency_key: 'k1',
    };
    await db
      .insertInto('transactions')
      .values({ ...deposit, account_id: a.id })
      .execute();
    await db
      .insertInto('transactions')
      .values({ ...deposit, account_id: b.id })
      .execute();
    expect(
      await violation(
        db
          .insertInto('transactions')
          .values({ ...deposit, account_id: a.id })
          .execute(),
      ),
    ).toEqual({ kind: 'unique', constraint: 'transactions_account_idempotency_key_unique' });
  });

  it('keeps emails unique ignoring case and open account names unique per owner', async () => {
    const email = `${unique('Case')}@Example.com`;
    const values = { display_name: 'A', base_currency: 'EUR', email };
    await db.insertInto('users').values(values).execute();
    expect(
      await violation(
        db
          .insertInto('users')
          .values({ ...values, email: email.toLowerCase() })
          .execute(),
      ),
    ).toEqual({ kind: 'unique', constraint: 'users_email_lower_unique' });

    const owner = await newUser(db);
    const account = { owner_id: owner.id, name: 'Main', base_currency: 'EUR' };
    await db.insertInto('accounts').values(account).execute();
    expect((await violation(db.insertInto('accounts').values(account).execute()))?.kind).toBe('unique');
    await db
      .updateTable('accounts')
      .set({ closed_at: new Date() })
      .where('owner_id', '=', owner.id)
      .execute();
    await db.insertInto('accounts').values(account).execute();
  });

  it('routes price history into monthly partitions, moving rows out of the default one', async () => {
    const instrument = await newInstrument(db);
    const quote = (asOf: string) =>
      prices.recordPrice(db, {
        instrumentId: instrument.id,
        asOf,
        price: 100_00000000n,
        currency: 'USD',
        source: 'test',
        kind: 'close',
      });
    await quote('2031-01-15T16:00:00Z');
    await quote('2031-02-15T16:00:00Z');
    const created = await ensurePriceHistoryPartitions(db, '2030-12', '2031-02');
    expect(created).toEqual(['price_history_y2030m12', 'price_history_y2031m01', 'price_history_y2031m02']);
    expect(await ensurePriceHistoryPartitions(db, '2031-01', '2031-02')).toEqual([]);

    const partitions = await listPriceHistoryPartitions(db);
    expect(partitions.map((p) => p.name)).toEqual(
      expect.arrayContaining([...created, 'price_history_default']),
    );
    const countIn = async (table: string) => {
      const { rows } = await sql<{ n: string }>`
        select count(*) as n from ${sql.table(table)} where instrument_id = ${instrument.id}`.execute(db);
      return rows[0]?.n;
    };
    expect(await countIn('price_history_y2031m01')).toBe('1');
    expect(await countIn('price_history_y2031m02')).toBe('1');
    expect(await countIn('price_history_default')).toBe('0');

    // New rows land in their month; the partition enforces the parent's rules.
    await quote('2031-01-31T23:59:59.999Z');
    expect(await countIn('price_history_y2031m01')).toBe('2');
    expect(
      (await prices.getPriceHistory(db, instrument.id, { from: '2031-01-01', to: '2031-02-01' })).map(
        (p) => p.asOf,
      ),
    ).toEqual(['2031-01-15T16:00:00.000Z', '2031-01-31T23:59:59.999Z']);
    expect(
      (
        await violation(
          db
            .insertInto('price_history')
            .values({
              instrument_id: instrument.id,
              as_of: '2031-01-02T00:00:00Z',
              price: '0',
              currency: 'USD',
              source: 't',
              kind: 'close',
            })
            .execute(),
        )
      )?.kind,
    ).toBe('check');
  });

  it('refuses a malformed partition range', async () => {
    await expect(ensurePriceHistoryPartitions(db, '2031-13', '2032-01')).rejects.toThrow(RangeError);
    await expect(ensurePriceHistoryPartitions(db, '2032-02', '2032-01')).rejects.toThrow(RangeError);
  });
});
