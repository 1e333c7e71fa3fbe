import type { LoggedEvent } from '@tickfolio/bus';
import { describe, expect, it } from 'vitest';
import { CoalescingQueue, QueueOverflowError } from './coalescing-queue';

function event(seq: number, ownerId: string): LoggedEvent {
  return {
    seq,
    subject: `portfolio.changed.${ownerId}`,
    origin: '',
    event: {
      type: 'portfolio.changed',
      ownerId,
      asOf: '2026-11-25T10:00:00.000Z',
      totals: {
        currency: 'USD',
        marketValue: String(seq),
        costBasis: '0.00',
        unrealizedGain: '0.00',
        unrealizedGainPercent: null,
        dayChange: '0.00',
        dayChangePercent: null,
      },
      accounts: [],
      cause: { kind: 'price', instrumentId: 'i' },
    },
  };
}

const byOwner = (e: LoggedEvent) => e.subject;

describe('CoalescingQueue', () => {
  it('keeps the latest event per key, in sequence order, and drops repeats', () => {
    const q = new CoalescingQueue(10, byOwner, 2);
    q.push(event(2, 'a'));
    q.push(event(3, 'a'));
    q.push(event(4, 'b'));
    q.push(event(5, 'a'));
    q.push(event(5, 'a'));
    expect(q.size).toBe(2);
    expect(q.shift()?.seq).toBe(4);
    expect(q.shift()?.seq).toBe(5);
    expect(q.shift()).toBeUndefined();
  });

  it('takes several keys at one sequence (one price moves many portfolios), each once', () => {
    const q = new CoalescingQueue(10, byOwner, 2);
    q.push(event(2, 'a'));
    q.push(event(3, 'a'));
    q.push(event(3, 'b'));
    q.push(event(3, 'b'));
    expect(q.size).toBe(2);
    expect([q.shift()?.subject, q.shift()?.subject]).toEqual(['portfolio.changed.a', 'portfolio.changed.b']);
  });

  it('overflows past its limit of waiting keys', () => {
    const q = new CoalescingQueue(2, byOwner, 0);
    q.push(event(1, 'a'));
    q.push(event(2, 'b'));
    q.push(event(3, 'b'));
    expect(() => q.push(event(4, 'c'))).toThrow(QueueOverflowError);
  });
});
