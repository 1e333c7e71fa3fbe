import type { TotalsView } from '@tickfolio/core';
import { describe, expect, it } from 'vitest';
import { createBookFrameReader } from './book-frame';
import type { BookChangedEvent } from './live-events';

const usd: TotalsView = {
  currency: 'USD',
  marketValue: '1000.00',
  costBasis: '900.00',
  unrealizedGain: '100.00',
  unrealizedGainPercent: '11.11',
  dayChange: '10.00',
  dayChangePercent: '1.01',
};
const inEur: TotalsView = { ...usd, currency: 'EUR', marketValue: '920.00' };
const cause = { kind: 'price', instrumentId: 'i' } as const;

function frame(...clients: Omit<BookChangedEvent['clients'][number], 'cause'>[]): BookChangedEvent {
  return { type: 'book.changed', viewCurrency: 'EUR', clients: clients.map((c) => ({ ...c, cause })) };
}

describe('reading book frames', () => {
  it('lays each change over what the stream told before', () => {
    const reader = createBookFrameReader();
    expect(reader.read(frame({ ownerId: 'a', asOf: 't1', totals: usd, inView: inEur }))).toEqual([
      { ownerId: 'a', asOf: 't1', cause, totals: usd, inView: inEur },
    ]);
    const [a] = reader.read(
      frame({
        ownerId: 'a',
        asOf: 't2',
        totals: { marketValue: '1001.00' },
        inView: { marketValue: '921.00' },
      }),
    );
    expect(a).toEqual({
      ownerId: 'a',
      asOf: 't2',
      cause,
      totals: { ...usd, marketValue: '1001.00' },
      inView: { ...inEur, marketValue: '921.00' },
    });
  });

  it('takes an absent view as the totals, and null as no view', () => {
    const reader = createBookFrameReader();
    const [same] = reader.read(frame({ ownerId: 'a', asOf: 't1', totals: inEur }));
    expect(same!.inView).toEqual(inEur);
    const [none] = reader.read(
      frame({ ownerId: 'a', asOf: 't2', totals: { dayChange: '1.00' }, inView: null }),
    );
    expect(none!.inView).toBeNull();
    expect(none!.totals).toEqual({ ...inEur, dayChange: '1.00' });
  });

  it('refuses a change for a client never sent whole', () => {
    const reader = createBookFrameReader();
    expect(() => reader.read(frame({ ownerId: 'a', asOf: 't1', totals: { marketValue: '1.00' } }))).toThrow(
      /had not sent whole/,
    );
  });
});
