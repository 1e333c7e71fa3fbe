import type { CurrencyCode } from '@tickfolio/core';

/** Where a demo person lives: their base currency, names and the accounts they open. */
export type PoolKey = 'us' | 'europe' | 'global' | 'etf' | 'funds';

export interface AccountTemplate {
  readonly name: string;
  /** Defaults to the region's currency. */
  readonly currency?: CurrencyCode;
  /** Which part of the catalogue the account holds. */
  readonly pool: PoolKey;
}

export interface Region {
  readonly key: string;
  readonly currency: CurrencyCode;
  /** Share of investors, in percent. */
  readonly weight: number;
  readonly firstNames: readonly string[];
  readonly lastNames: readonly string[];
  /** The first `n` are opened by an investor with `n` accounts. */
  readonly accounts: readonly AccountTemplate[];
}

export const REGIONS: readonly Region[] = [
  {
    key: 'us',
    currency: 'USD',
    weight: 40,
    firstNames: [
      'James',
      'Mary',
      'Robert',
      'Patricia',
      'Michael',
      'Jennifer',
      'David',
      'Linda',
      'Chris',
      'Emily',
    ],
    lastNames: [
      'Smith',
      'Johnson',
      'Williams',
      'Brown',
      'Jones',
      'Miller',
      'Davis',
      'Garcia',
      'Wilson',
      'Moore',
    ],
    accounts: [
      { name: 'Brokerage', pool: 'us' },
      { name: 'Retirement', pool: 'etf' },
      { name: 'International', pool: 'europe' },
    ],
  },
  {
    key: 'eurozone',
    currency: 'EUR',
    weight: 22,
    firstNames: ['Lukas', 'Sophie', 'Jan', 'Marie', 'Luca', 'Giulia', 'Pierre', 'Camille', 'Daan', 'Emma'],
    lastNames: [
      'Müller',
      'Schmidt',
      'Rossi',
      'Bianchi',
      'Dubois',
      'Martin',
      'de Vries',
      'Jansen',
      'García',
      'Weber',
    ],
    accounts: [
      { name: 'Brokerage', pool: 'global' },
      { name: 'Retirement', pool: 'etf' },
      { name: 'US stocks', currency: 'USD', pool: 'us' },
    ],
  },
  {
    key: 'uk',
    currency: 'GBP',
    weight: 14,
    firstNames: ['Oliver', 'Amelia', 'Harry', 'Isla', 'George', 'Ava', 'Jack', 'Olivia', 'Noah', 'Freya'],
    lastNames: [
      'Taylor',
      'Evans',
      'Thomas',
      'Roberts',
      'Walker',
      'Wright',
      'Hughes',
      'Edwards',
      'Green',
      'Hall',
    ],
    accounts: [
      { name: 'Stocks & Shares ISA', pool: 'global' },
      { name: 'Pension (SIPP)', pool: 'etf' },
      { name: 'US stocks', currency: 'USD', pool: 'us' },
    ],
  },
  {
    key: 'india',
    currency: 'INR',
    weight: 18,
    firstNames: ['Aarav', 'Ananya', 'Vihaan', 'Diya', 'Arjun', 'Priya', 'Rohan', 'Ishita', 'Kabir', 'Meera'],
    lastNames: ['Sharma', 'Patel', 'Iyer', 'Reddy', 'Gupta', 'Nair', 'Singh', 'Mehta', 'Rao', 'Banerjee'],
    accounts: [
      { name: 'Mutual funds', pool: 'funds' },
      { name: 'Tax saver funds', pool: 'funds' },
      { name: 'US stocks', currency: 'USD', pool: 'us' },
    ],
  },
  {
    key: 'switzerland',
    currency: 'CHF',
    weight: 2,
    firstNames: ['Noah', 'Mia', 'Leon', 'Lea', 'Elias', 'Lina'],
    lastNames: ['Meier', 'Keller', 'Huber', 'Brunner', 'Baumann', 'Fischer'],
    accounts: [
      { name: 'Brokerage', pool: 'global' },
      { name: 'Retirement (3a)', pool: 'etf' },
      { name: 'US stocks', currency: 'USD', pool: 'us' },
    ],
  },
  {
    key: 'canada',
    currency: 'CAD',
    weight: 2,
    firstNames: ['Liam', 'Charlotte', 'Ethan', 'Chloe', 'Logan', 'Zoe'],
    lastNames: ['Tremblay', 'Roy', 'Gagnon', 'MacDonald', 'Campbell', 'Lee'],
    accounts: [
      { name: 'Brokerage', pool: 'us' },
      { name: 'Retirement (RRSP)', pool: 'etf' },
      { name: 'TFSA', pool: 'global' },
    ],
  },
  {
    key: 'singapore',
    currency: 'SGD',
    weight: 2,
    firstNames: ['Wei Ling', 'Jun Jie', 'Hui Min', 'Zhi Hao', 'Siti', 'Arun'],
    lastNames: ['Tan', 'Lim', 'Ng', 'Wong', 'Goh', 'Chua'],
    accounts: [
      { name: 'Brokerage', pool: 'global' },
      { name: 'Retirement', pool: 'etf' },
      { name: 'US stocks', currency: 'USD', pool: 'us' },
    ],
  },
];
