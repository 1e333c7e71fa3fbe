import type { Allocation, Holding, Holdings, Summary, Totals } from '../../src/api/types';

/** Small, hand-made server answers for component tests (amounts as the server sends them). */
export const TOTALS: Totals = {
  currency: 'USD',
  marketValue: '12345.67',
  costBasis: '10000.00',
  unrealizedGain: '2345.67',
  unrealizedGainPercent: '23.46',
  dayChange: '-120.50',
  dayChangePercent: '-0.97',
};

export function holding(overrides: Partial<Holding> = {}): Holding {
  return {
    accountId: 'acc-1',
    instrumentId: 'ins-aapl',
    assetClass: 'stock',
    localCurrency: 'USD',
    quantity: '10',
    price: '190.50',
    previousClose: '188.00',
    marketValueLocal: '1905.00',
    costBasisLocal: '1500.00',
    realizedGainLocal: '0.00',
    currency: 'USD',
    marketValue: '1905.00',
    costBasis: '1500.00',
    unrealizedGain: '405.00',
    unrealizedGainPercent: '27.00',
    dayChange: '25.00',
    dayChangePercent: '1.33',
    weightPercent: '15.43',
    symbol: 'AAPL',
    name: 'Apple Inc.',
    accountName: 'Brokerage',
    ...overrides,
  } as Holding;
}

export const HOLDINGS: Holdings = {
  ownerId: 'owner-1',
  currency: 'USD',
  computedAt: '2026-11-25T10:00:00.000Z',
  asOf: '2026-11-25T09:59:00.000Z',
  holdings: [
    holding(),
    holding({
      instrumentId: 'ins-sap',
      symbol: 'SAP.DE',
      name: 'SAP SE',
      localCurrency: 'EUR',
      quantity: '3.5',
      price: '210.10',
      marketValue: '798.41',
      dayChange: '-4.20',
      dayChangePercent: '-0.52',
      unrealizedGain: '-12.00',
      weightPercent: '6.47',
    }),
  ],
} as Holdings;

export const SUMMARY: Summary = {
  ownerId: 'owner-1',
  currency: 'USD',
  computedAt: '2026-11-25T10:00:00.000Z',
  asOf: '2026-11-25T09:59:00.000Z',
  totals: TOTALS,
  accounts: [],
  missing: { prices: [], fxPairs: [] },
} as Summary;

export const ALLOCATION: Allocation = {
  ownerId: 'owner-1',
  currency: 'USD',
  computedAt: '2026-11-25T10:00:00.000Z',
  asOf: '2026-11-25T09:59:00.000Z',
  byAssetClass: [
    { key: 'stock', value: '9876.54', weightPercent: '80.00' },
    { key: 'etf', value: '2469.13', weightPercent: '20.00' },
  ],
  byCurrency: [{ key: 'USD', value: '12345.67', weightPercent: '100.00' }],
  byAccount: [{ key: 'acc-1', name: 'Brokerage', value: '12345.67', weightPercent: '100.00' }],
} as Allocation;
