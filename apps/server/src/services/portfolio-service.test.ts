import { describe, expect, it, vi } from 'vitest';
import type { ValuationStore } from '../portfolio/valuation-store';
import type { AccessPolicy } from './access-policy';
import { createPortfolioService } from './portfolio-service';
import type { ServiceDeps } from './service-deps';

const OWNER = '00000000-0000-4000-8000-000000000001';

function serviceWith(refresh: () => Promise<void>, ownerChanged: () => Promise<void>) {
  const error = vi.fn();
  const deps = { log: { error } } as unknown as ServiceDeps;
  const store = { refresh } as unknown as ValuationStore;
  return { service: createPortfolioService(deps, {} as AccessPolicy, store, ownerChanged), error };
}

describe('the refresh after a ledger write', () => {
  it('waits for the cache refresh and the index sync when they are quick', async () => {
    const order: string[] = [];
    const { service } = serviceWith(
      async () => {
        order.push('cache');
      },
      async () => {
        order.push('index');
      },
    );
    await service.refresh(OWNER);
    expect(order).toEqual(['cache', 'index']);
  });

  it('answers after a bounded wait when the index sync does not finish (a silent broker)', async () => {
    vi.useFakeTimers();
    try {
      const { service } = serviceWith(
        async () => {},
        () => new Promise<void>(() => {}),
      );
      let answered = false;
      void service.refresh(OWNER).then(() => {
        answered = true;
      });
      await vi.advanceTimersByTimeAsync(4_000);
      expect(answered).toBe(false);
      await vi.advanceTimersByTimeAsync(1_000);
      expect(answered).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it('answers after a bounded wait when the cache refresh does not finish (a silent database)', async () => {
    vi.useFakeTimers();
    try {
      const ownerChanged = vi.fn(async () => {});
      const { service } = serviceWith(() => new Promise<void>(() => {}), ownerChanged);
      const answered = service.refresh(OWNER);
      await vi.advanceTimersByTimeAsync(5_000);
      await answered;
      expect(ownerChanged).not.toHaveBeenCalled();
    } finally {
      vi.useRealTimers();
    }
  });

  it('never throws: a failed sync is logged', async () => {
    const { service, error } = serviceWith(
      async () => {},
      () => Promise.reject(new Error('broker down')),
    );
    await service.refresh(OWNER);
    expect(error).toHaveBeenCalledWith(expect.objectContaining({ ownerId: OWNER }), 'owner re-sync failed');
  });
});
