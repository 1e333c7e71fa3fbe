import type { alerts } from '@tickfolio/db';
import { describe, expect, it } from 'vitest';
import { RuleBook } from './rule-book';

const OWNER = '00000000-0000-4000-8000-000000000001';
const INSTRUMENT = '00000000-0000-4000-8000-0000000000a1';

function rule(id: string, kind: alerts.AlertKind, instrumentId: string | null = null): alerts.AlertRule {
  return {
    id,
    userId: OWNER,
    ownerId: OWNER,
    kind,
    direction: 'down',
    instrumentId,
    accountId: null,
    threshold: '5',
    currency: null,
    windowSeconds: null,
    hysteresisPercent: '10',
    cooldownSeconds: 0,
    active: true,
    armed: true,
    crossings: 0,
    version: 1,
    lastTriggeredAt: null,
    createdAt: '2026-12-07T00:00:00.000Z',
    updatedAt: '2026-12-07T00:00:00.000Z',
  };
}

describe('rule book', () => {
  it("says whether any rule watches an owner's totals, so owners are looked at only then", () => {
    const book = new RuleBook();
    expect(book.watchesOwners).toBe(false);
    // A rule on one instrument's price is found by the instrument, not through its holders.
    book.put(rule('r1', 'price_move', INSTRUMENT));
    expect(book.watchesOwners).toBe(false);
    book.put(rule('r2', 'portfolio_move'));
    expect(book.watchesOwners).toBe(true);
    expect([...book.watchedOwners()].map((o) => o.ownerId)).toEqual([OWNER]);
    book.remove('r2');
    expect(book.watchesOwners).toBe(false);
    book.replaceAll([rule('r3', 'value_below')]);
    expect(book.watchesOwners).toBe(true);
  });

  it("keeps an owner's entry while their rules change, so what the notifier keeps on it stays", () => {
    const book = new RuleBook();
    book.put(rule('r1', 'portfolio_move'));
    const entry = book.ofOwner(OWNER)!;
    // A rule read again (fired, re-armed or edited elsewhere) replaces the old copy in the same entry.
    book.put({ ...rule('r1', 'portfolio_move'), version: 2, armed: false, crossings: 1 });
    book.put(rule('r2', 'value_above'));
    book.remove('r1');
    expect(book.ofOwner(OWNER)).toBe(entry);
    expect([...entry.rules].map((b) => b.rule.id)).toEqual(['r2']);
    // An owner with no rule left is dropped at the next full reload, and what was kept goes with it.
    book.replaceAll([]);
    expect(book.ofOwner(OWNER)).toBeUndefined();
    expect(book.watchesOwners).toBe(false);
  });
});
