import {
  DomainError,
  derivePosition,
  type Instrument,
  type Position,
  QTY_SCALE,
  type Transaction,
} from '@tickfolio/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  accounts,
  constraintViolation,
  type Db,
  holdings,
  IdempotencyConflictError,
  transactions,
  users,
} from '../src';
import { databaseForBlock, engines } from './engines';
import { newAccount, newInstrument } from './fixtures';

const units = (n: number) => BigInt(Math.round(n * 1e8));

/** The position fields core derives, without the record's extras. */
function positionOf(p: Position | undefined | null) {
  if (!p) return p;
  const { accountId, instrumentId, currency, quantity, costBasis, realizedGain, dividends } = p;
  return { accountId, instrumentId, currency, quantity, costBasis, realizedGain, dividends };
}

describe.each(engines)('ledger on $name', (engine) => {
  let db: Db;
  databaseForBlock(engine, (opened) => {
    db = opened;
  });

  async function setup() {
    const account = await newAccount(db);
    const instrument = await newInstrument(db, 'USD');
    const trade = (type: 'buy' | 'sell', quantity: number, price: number, tradeDate: string, fee = 0) =>
      transactions.addTransaction(db, {
        accountId: account.id,
        instrumentId: instrument.id,
        type,
        tradeDate,
        quantity: units(quantity),
        price: units(price),
        fee: units(fee),
        currency: 'USD',
      });
    return { account, instrument, trade };
  }

  it('keeps the holding equal to the derived position', async () => {
    const { account, instrument, trade } = await setup();
    const first = await trade('buy', 10, 100, '2024-01-02T15:00:00Z', 1);
    expect(first.created).toBe(true);
    expect(first.holding?.quantity).toBe(units(10));
    await trade('buy', 5, 130, '2024-02-01T15:00:00Z');
    const sold = await trade('sell', 6, 150, '2024-03-01T15:00:00Z', 2);

    const all = await transactions.listTransactions(db, { accountIds: [account.id], order: 'asc' });
    const expected = derivePosition(account.id, instrument, all.items);
    expect(positionOf(sold.holding)).toEqual(expected);
    expect(positionOf(await holdings.getHolding(db, account.id, instrument.id))).toEqual(expected);
    expect(expected.quantity).toBe(units(9));
    const listed = await holdings.listHoldingsByOwner(db, account.ownerId);
    expect(listed.map(positionOf)).toEqual([expected]);
  });

  it('rolls back everything on OVERSELL', async () => {
    const { account, instrument, trade } = await setup();
    await trade('buy', 3, 10, '2024-01-01T00:00:00Z');
    const before = await holdings.getHolding(db, account.id, instrument.id);
    const error = await trade('sell', 4, 10, '2024-01-02T00:00:00Z').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('OVERSELL');
    expect(await holdings.getHolding(db, account.id, instrument.id)).toEqual(before);
    expect((await transactions.listTransactions(db, { accountIds: [account.id] })).items).toHaveLength(1);
    // A backdated sell that would oversell an earlier moment is refused too.
    await trade('buy', 10, 10, '2024-06-01T00:00:00Z');
    await expect(trade('sell', 5, 10, '2023-12-31T00:00:00Z')).rejects.toMatchObject({ code: 'OVERSELL' });
  });

  it('refuses a currency other than the instrument’s, writing nothing', async () => {
    const { account, instrument } = await setup();
    await expect(
      transactions.addTransaction(db, {
        accountId: account.id,
        instrumentId: instrument.id,
        type: 'buy',
        tradeDate: '2024-01-01',
        quantity: units(1),
        price: units(1),
        currency: 'EUR',
      }),
    ).rejects.toMatchObject({ code: 'CURRENCY_MISMATCH' });
    expect((await transactions.listTransactions(db, { accountIds: [account.id] })).items).toEqual([]);
  });

  it('refuses a non-positive quantity through the database', async () => {
    const { account, trade } = await setup();
    const error = await trade('buy', 0, 10, '2024-01-01T00:00:00Z').catch((e: unknown) => e);
    expect(constraintViolation(error)?.kind).toBe('check');
    expect((await transactions.listTransactions(db, { accountIds: [account.id] })).items).toEqual([]);
  });

  it('returns the recorded transaction for a repeated idempotency key and refuses a different payload', async () => {
    const { account, instrument } = await setup();
    const input = {
      accountId: account.id,
      instrumentId: instrument.id,
      type: 'buy' as const,
      tradeDate: '2024-01-01T10:00:00Z',
      quantity: units(2),
      price: units(50),
      currency: 'USD' as const,
      idempotencyKey: 'import-row-1',
    };
    const first = await transactions.addTransaction(db, input);
    const again = await transactions.addTransaction(db, { ...input, tradeDate: new Date(input.tradeDate) });
    expect(again.created).toBe(false);
    expect(again.transaction).toEqual(first.transaction);
    expect(positionOf(again.holding)).toEqual(positionOf(first.holding));
    const conflict = await transactions
      .addTransaction(db, { ...input, quantity: units(3) })
      .catch((e: unknown) => e);
    expect(conflict).toBeInstanceOf(IdempotencyConflictError);
    expect((conflict as IdempotencyConflictError).existingTransactionId).toBe(first.transaction.id);
    expect((await holdings.getHolding(db, account.id, instrument.id))?.quantity).toBe(units(2));
  });

  it('re-derives on delete, and refuses a delete that would leave an oversell', async () => {
    const { account, instrument, trade } = await setup();
    const buy1 = await trade('buy', 4, 10, '2024-01-01T00:00:00Z');
    const buy2 = await trade('buy', 6, 20, '2024-01-02T00:00:00Z');
    await trade('sell', 5, 30, '2024-01-03T00:00:00Z');
    await expect(transactions.deleteTransaction(db, buy2.transaction.id)).rejects.toMatchObject({
      code: 'OVERSELL',
    });
    expect(await transactions.getTransaction(db, buy2.transaction.id)).toBeDefined();

    const deleted = await transactions.deleteTransaction(db, buy1.transaction.id);
    expect(deleted?.transaction.id).toBe(buy1.transaction.id);
    const remaining = (await transactions.listTransactions(db, { accountIds: [account.id] })).items;
    const expected = derivePosition(account.id, instrument, remaining);
    expect(positionOf(deleted?.holding)).toEqual(expected);
    expect(positionOf(await holdings.getHolding(db, account.id, instrument.id))).toEqual(expected);
    expect(await transactions.deleteTransaction(db, buy1.transaction.id)).toBeUndefined();
  });

  it('removes the holding when its last transaction goes, keeps a closed position otherwise', async () => {
    const { account, instrument, trade } = await setup();
    const buy = await trade('buy', 1, 10, '2024-01-01T00:00:00Z');
    await trade('sell', 1, 12, '2024-01-02T00:00:00Z');
    const closed = await holdings.getHolding(db, account.id, instrument.id);
    expect(closed?.quantity).toBe(0n);
    expect(closed?.realizedGain).toBe(2n * 10n ** 16n);
    expect(await holdings.listHoldingsByAccounts(db, [account.id])).toEqual([]);
    expect(await holdings.listHoldingsByAccounts(db, [account.id], { includeClosed: true })).toHaveLength(1);
    const all = (await transactions.listTransactions(db, { accountIds: [account.id] })).items;
    const sell = all.find((t) => t.type === 'sell')!;
    await transactions.deleteTransaction(db, sell.id);
    await transactions.deleteTransaction(db, buy.transaction.id);
    expect(await holdings.getHolding(db, account.id, instrument.id)).toBeUndefined();
  });

  it('moves the owner’s ledger version with every change to its holdings or accounts, and only then', async () => {
    const { account, instrument, trade } = await setup();
    const owner = account.ownerId;
    const version = async () => BigInt((await users.ledgerVersions(db, [owner])).get(owner)!);
    const other = await newAccount(db);
    const otherVersion = async () =>
      BigInt((await users.ledgerVersions(db, [other.ownerId])).get(other.ownerId)!);
    const otherBefore = await otherVersion();

    const seen = [await version()];
    const step = async (write: () => Promise<unknown>) => {
      await write();
      seen.push(await version());
    };
    await step(() => trade('buy', 10, 100, '2024-01-02T15:00:00Z'));
    await step(() => trade('sell', 4, 120, '2024-02-02T15:00:00Z'));
    await step(() =>
      transactions.addTransactions(db, [
        {
          accountId: account.id,
          instrumentId: instrument.id,
          type: 'buy',
          tradeDate: '2024-03-01T15:00:00Z',
          quantity: units(1),
          price: units(1),
          currency: 'USD',
        },
        {
          accountId: account.id,
          instrumentId: instrument.id,
          type: 'buy',
          tradeDate: '2024-03-02T15:00:00Z',
          quantity: units(1),
          price: units(1),
          currency: 'USD',
        },
      ]),
    );
    const listed = await transactions.listTransactions(db, { accountIds: [account.id], order: 'desc' });
    await step(() => transactions.deleteTransaction(db, listed.items[0]!.id));
    await step(() => accounts.renameAccount(db, account.id, 'Renamed'));
    await step(() => accounts.createAccount(db, { ownerId: owner, name: 'Second', baseCurrency: 'EUR' }));
    for (let i = 1; i < seen.length; i += 1) expect(seen[i]!).toBeGreaterThan(seen[i - 1]!);
    // Another owner's ledger is not this one's.
    expect(await otherVersion()).toBe(otherBefore);
    // A read changes nothing; neither does a write refused as a whole.
    const settled = await version();
    await holdings.listHoldingsByOwner(db, owner);
    await trade('sell', 1000, 1, '2024-04-01T15:00:00Z').catch(() => undefined);
    expect(await version()).toBe(settled);
    expect(await users.ledgerVersions(db, ['00000000-0000-4000-8000-000000000000'])).toEqual(new Map());
  });

  it('records cash transactions without touching holdings', async () => {
    const account = await newAccount(db);
    const added = await transactions.addTransaction(db, {
      accountId: account.id,
      type: 'deposit',
      tradeDate: '2024-01-01',
      amount: 1000_00000000n,
      currency: 'EUR',
    });
    expect(added.holding).toBeNull();
    expect(added.transaction.amount).toBe(1000_00000000n);
  });

  it('records interest as cash, and refuses interest naming an instrument', async () => {
    const { account, instrument } = await setup();
    const added = await transactions.addTransaction(db, {
      accountId: account.id,
      type: 'interest',
      tradeDate: '2024-01-31',
      amount: 4_20000000n,
      currency: 'USD',
    });
    expect(added).toMatchObject({ created: true, holding: null, transaction: { type: 'interest' } });
    const withInstrument = transactions.addTransaction(db, {
      accountId: account.id,
      instrumentId: instrument.id,
      type: 'interest',
      tradeDate: '2024-01-31',
      amount: 1_00000000n,
      currency: 'USD',
    });
    await expect(withInstrument).rejects.toSatisfy(
      (error) => constraintViolation(error)?.constraint === 'transactions_fields_for_type',
    );
  });

  it('lists the transactions traded at given instants in one query, whatever their number', async () => {
    const { account, trade } = await setup();
    const a = await trade('buy', 1, 10, '2024-01-02');
    await trade('buy', 1, 11, '2024-01-03');
    const c = await trade('buy', 1, 12, '2024-01-04T15:30:00+02:00');
    const other = await setup();
    await other.trade('buy', 1, 10, '2024-01-02');
    // Far more instants than a query takes bind parameters: one array parameter holds them all.
    const many = Array.from({ length: 70_000 }, (_, n) => new Date(Date.UTC(1990, 0, 1) + n * 60_000));
    const found = await transactions.listTransactionsTradedAt(db, account.id, [
      ...many,
      '2024-01-02',
      new Date('2024-01-04T13:30:00Z'),
    ]);
    expect(found.map((t) => t.id)).toEqual([a.transaction.id, c.transaction.id]);
    expect(await transactions.listTransactionsTradedAt(db, account.id, [])).toEqual([]);
  });

  it('joins a caller’s transaction, undoing only its own work on failure', async () => {
    const { account, instrument } = await setup();
    const buy = {
      accountId: account.id,
      instrumentId: instrument.id,
      type: 'buy' as const,
      tradeDate: '2024-01-01',
      quantity: units(1),
      price: units(1),
      currency: 'USD' as const,
    };
    await db.transaction().execute(async (trx) => {
      await transactions.addTransaction(trx, buy);
      await expect(
        transactions.addTransaction(trx, {
          ...buy,
          type: 'sell',
          quantity: units(5),
          tradeDate: '2024-01-02',
        }),
      ).rejects.toMatchObject({ code: 'OVERSELL' });
      await transactions.addTransaction(trx, { ...buy, tradeDate: '2024-01-03' });
    });
    expect((await holdings.getHolding(db, account.id, instrument.id))?.quantity).toBe(units(2));
  });

  it('serializes concurrent writes to one account', async () => {
    const { account, instrument, trade } = await setup();
    await trade('buy', 10, 1, '2024-01-01T00:00:00Z');
    const sells = await Promise.allSettled(
      [1, 2, 3, 4].map(() => trade('sell', 3, 1, '2024-01-02T00:00:00Z')),
    );
    expect(sells.filter((s) => s.status === 'fulfilled')).toHaveLength(3);
    expect(sells.find((s) => s.status === 'rejected')).toMatchObject({ reason: { code: 'OVERSELL' } });
    expect((await holdings.getHolding(db, account.id, instrument.id))?.quantity).toBe(units(1));

    const deposit = {
      accountId: account.id,
      type: 'deposit' as const,
      tradeDate: '2024-01-03',
      amount: units(5),
      currency: 'USD' as const,
      idempotencyKey: 'same-request',
    };
    const retries = await Promise.all([1, 2, 3].map(() => transactions.addTransaction(db, deposit)));
    expect(retries.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(retries.map((r) => r.transaction.id)).size).toBe(1);
  });

  it('pages by keyset and filters', async () => {
    const { account, trade } = await setup();
    for (let day = 1; day <= 7; day++) await trade('buy', 1, day, `2024-03-0${day}T00:00:00Z`);
    // Same instant: insertion order breaks the tie.
    await trade('buy', 2, 1, '2024-03-07T00:00:00Z');
    const seen: Transaction[] = [];
    let cursor: string | undefined;
    do {
      const page = await transactions.listTransactions(db, { accountIds: [account.id], limit: 3, cursor });
      seen.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toHaveLength(8);
    expect(seen[0]?.quantity).toBe(units(2));
    const keys = seen.map((t) => [t.tradeDate, t.sequence] as const);
    const sorted = [...keys].sort((a, b) => (a[0] === b[0] ? b[1] - a[1] : a[0] < b[0] ? 1 : -1));
    expect(keys).toEqual(sorted);

    const ranged = await transactions.listTransactions(db, {
      accountIds: [account.id],
      from: '2024-03-02T00:00:00Z',
      to: '2024-03-04T00:00:00Z',
      types: ['buy'],
      order: 'asc',
    });
    expect(ranged.items.map((t) => t.tradeDate)).toEqual([
      '2024-03-02T00:00:00.000Z',
      '2024-03-03T00:00:00.000Z',
    ]);
    expect(ranged.nextCursor).toBeNull();
    await expect(
      transactions.listTransactions(db, { accountIds: [account.id], cursor: 'garbage' }),
    ).rejects.toThrow(RangeError);
  });

  it('matches core for random buy/sell sequences, refusing what core refuses', async () => {
    const op = fc.record({
      type: fc.constantFrom('buy' as const, 'sell' as const),
      quantity: fc.bigInt({ min: 1n, max: 50n * 10n ** BigInt(QTY_SCALE) }),
      price: fc.bigInt({ min: 0n, max: 500n * 10n ** 8n }),
      fee: fc.bigInt({ min: 0n, max: 10n ** 8n }),
      day: fc.integer({ min: 1, max: 28 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 8 }), async (ops) => {
        const account = await newAccount(db);
        const instrument: Instrument = await newInstrument(db, 'USD');
        const accepted: Transaction[] = [];
        for (const [i, o] of ops.entries()) {
          const tradeDate = `2024-05-${String(o.day).padStart(2, '0')}T00:00:00.000Z`;
          const candidate: Transaction = {
            id: `model-${i}`,
            accountId: account.id,
            type: o.type,
            instrumentId: instrument.id,
            tradeDate,
            sequence: Number.MAX_SAFE_INTEGER - ops.length + i,
            quantity: o.quantity,
            price: o.price,
            fee: o.fee,
            amount: null,
            currency: 'USD',
            splitFrom: null,
            splitTo: null,
          };
          let modelError: unknown;
          try {
            derivePosition(account.id, instrument, [...accepted, candidate]);
          } catch (e) {
            modelError = e;
          }
          const outcome = await transactions
            .addTransaction(db, {
              accountId: account.id,
              instrumentId: instrument.id,
              type: o.type,
              tradeDate,
              quantity: o.quantity,
              price: o.price,
              fee: o.fee,
              currency: 'USD',
            })
            .catch((e: unknown) => e);
          if (modelError) {
            expect(outcome).toBeInstanceOf(DomainError);
            expect((outcome as DomainError).code).toBe((modelError as DomainError).code);
          } else {
            expect(outcome).not.toBeInstanceOf(Error);
            accepted.push(candidate);
          }
        }
        const stored = await holdings.getHolding(db, account.id, instrument.id);
        const expected = accepted.length ? derivePosition(account.id, instrument, accepted) : undefined;
        expect(positionOf(stored)).toEqual(expected);
      }),
      { numRuns: 20 },
    );
  });
});
