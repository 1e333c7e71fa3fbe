import { describe, expect, it } from 'vitest';
import { appRouter } from '../routers';
import { COSTLY_PROCEDURES, createCallPricing } from './call-points';

describe('createCallPricing', () => {
  const pricing = createCallPricing({ costlyCallPoints: 10, maxBatchSize: 3 });

  it('names only procedures the router has', () => {
    const procedures = Object.keys(appRouter._def.procedures);
    for (const path of COSTLY_PROCEDURES) expect(procedures).toContain(path);
  });

  it('prices a costly call above any other', () => {
    expect(pricing.call('auth.refresh')).toBe(10);
    expect(pricing.call('transactions.import')).toBe(10);
    expect(pricing.call('auth.me')).toBe(1);
    expect(pricing.call('no.such.procedure')).toBe(1);
  });

  it('charges a request for every call it carries, and 1 when it is no tRPC call or an oversized batch', () => {
    expect(pricing.request(null)).toBe(1);
    expect(pricing.request(['auth.me'])).toBe(1);
    expect(pricing.request(['auth.refresh', 'auth.refresh', 'auth.me'])).toBe(21);
    expect(pricing.request(['auth.refresh', 'auth.refresh', 'auth.refresh', 'auth.refresh'])).toBe(1);
  });
});
