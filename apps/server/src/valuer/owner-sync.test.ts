import type { TotalsChange } from '@tickfolio/core';
import type { Db } from '@tickfolio/db';
import { describe, expect, it, vi } from 'vitest';
import { createOwnerSync } from './owner-sync';
import { ValuationState } from './valuation-state';

const OWNER = '00000000-0000-4000-8000-000000000001';

const totals: TotalsChange = {
  id: OWNER,
  ownerId: OWNER,
  currency: 'USD',
  marketValue: 10n ** 16n,
  costBasis: 10n ** 16n,
  dayChange: 0n,
  delta: 0n,
};

/** A state whose owner sync moves the owner's total without a database. */
function stateWithOwner(): ValuationState {
  const state = new ValuationState();
  vi.spyOn(state, 'syncOwner').mockResolvedValue({ portfolios: [totals], accounts: [] });
  vi.spyOn(state.index, 'portfolio').mockReturnValue(totals);
  return state;
}

const log = { warn: () => {}, error: () => {} };
const db = {} as Db;
const now = () => new Date('2026-12-06T12:00:00Z');

describe('owner sync', () => {
  it('ends its turn before the broker confirms, so a silent broker holds up no other turn', async () => {
    const state = stateWithOwner();
    let confirm = () => {};
    const publish = vi.fn(
      () =>
        new Promise<void>((resolve) => {
          confirm = resolve;
        }),
    );
    const sync = createOwnerSync({ db, state, events: { publish }, now, log });

    const synced = sync.ownerChanged(OWNER);
    // The next turn (a price batch, another write's sync) runs although the publish never answers.
    await state.exclusive(async () => {});
    expect(publish).toHaveBeenCalledTimes(1);
    let settled = false;
    void synced.finally(() => {
      settled = true;
    });
    await state.idle();
    expect(settled).toBe(false);
    confirm();
    await synced;
  });

  it('sends an unconfirmed holding event again under the same id until the broker confirms it', async () => {
    const state = stateWithOwner();
    const publish = vi
      .fn<(subject: string, event: unknown, id: string) => Promise<void>>()
      .mockRejectedValueOnce(new Error('timeout'))
      .mockResolvedValue(undefined);
    const sync = createOwnerSync({ db, state, events: { publish }, now, log });

    await sync.ownerChanged(OWNER);

    expect(publish).toHaveBeenCalledTimes(2);
    const [first, second] = publish.mock.calls;
    expect(second).toEqual(first);
    expect(first![2]).toBe(`holding:${OWNER}:${now().getTime()}:${OWNER}`);
  });

  it('gives up the retries when stopped, and says the sync failed', async () => {
    const state = stateWithOwner();
    const publish = vi.fn(() => Promise.reject(new Error('timeout')));
    const sync = createOwnerSync({ db, state, events: { publish }, now, log });

    const synced = sync.ownerChanged(OWNER);
    await vi.waitFor(() => expect(publish).toHaveBeenCalled());
    await sync.stop();
    await expect(synced).rejects.toThrow();
  });
});
