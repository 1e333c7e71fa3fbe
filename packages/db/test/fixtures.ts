import { randomBytes } from 'node:crypto';
import type { AssetClass, CurrencyCode } from '@tickfolio/core';
import { accounts, type Db, instruments, users } from '../src';

/**
 * Unique names, so tests share one database without seeing each other's rows. 48 random bits: a test
 * that makes thousands of instruments at once must not meet a repeated symbol (32 bits did, about once
 * in 300 runs).
 */
export function unique(prefix: string): string {
  return `${prefix}-${randomBytes(6).toString('hex')}`;
}

export function newUser(db: Db, role: 'investor' | 'advisor' | 'admin' = 'investor') {
  return users.createUser(db, {
    email: `${unique('user')}@example.com`,
    displayName: unique('User'),
    passwordHash: 'hash',
    role,
    baseCurrency: 'EUR',
  });
}

export async function newAccount(db: Db, ownerId?: string) {
  const owner = ownerId ?? (await newUser(db)).id;
  return accounts.createAccount(db, { ownerId: owner, name: unique('Account'), baseCurrency: 'EUR' });
}

export function newInstrument(db: Db, currency: CurrencyCode = 'USD', assetClass: AssetClass = 'stock') {
  return instruments.createInstrument(db, {
    symbol: unique('SYM'),
    name: unique('Instrument'),
    assetClass,
    currency,
    exchange: 'XNAS',
  });
}
