import { describe, expect, it } from 'vitest';
import {
  deadLetterSubject,
  fxSubject,
  fxUpdatedSubject,
  instrumentPriceSubject,
  notificationSubject,
  portfolioChangedSubject,
  portfolioSubjectTopic,
  priceUpdatedSubject,
  REFRESH_SUBJECT,
  STREAMS,
  streamNames,
} from './stream-names';

describe('streamNames', () => {
  it('is STREAMS and the plain subjects without a prefix', () => {
    const names = streamNames();
    expect(names.prices).toEqual(STREAMS.prices);
    expect(names.refresh).toEqual(STREAMS.refresh);
    expect(names.instrumentPriceSubject('i1')).toBe(instrumentPriceSubject('i1'));
    expect(names.fxSubject('EUR', 'USD')).toBe(fxSubject('EUR', 'USD'));
    expect(names.refreshSubject).toBe(REFRESH_SUBJECT);
  });

  it('puts the prefix in front of every stream name and subject', () => {
    const names = streamNames('t123_');
    expect(names.prices).toEqual({ name: 't123_PRICES', subjects: ['t123_prices.>'] });
    expect(names.pricesDeadLetter).toEqual({ name: 't123_PRICES_DLQ', subjects: ['t123_dlq.prices.>'] });
    expect(names.portfolio).toEqual({ name: 't123_PORTFOLIO', subjects: ['t123_portfolio.>'] });
    expect(names.instrumentPriceSubject('i1')).toBe('t123_prices.instrument.i1');
    expect(names.fxSubject('EUR', 'USD')).toBe('t123_prices.fx.EUR.USD');
    expect(names.portfolioChangedSubject('o1')).toBe('t123_portfolio.changed.o1');
    expect(names.priceUpdatedSubject('i1')).toBe('t123_portfolio.price.i1');
    expect(names.refreshSubject).toBe('t123_refresh.requests');
    expect(names.instrumentsRefreshSubject).toBe('t123_refresh.instruments');
    expect(names.lookupSubject).toBe('t123_lookup.instruments');
    expect(names.sessionsRevokedSubject).toBe('t123_sessions.revoked');
    expect(names.unprefixed('t123_prices.instrument.i1')).toBe('prices.instrument.i1');
    expect(names.prefixed(deadLetterSubject('prices.instrument.i1'))).toBe('t123_dlq.prices.instrument.i1');
  });

  it('refuses a prefix that would break a stream name or a subject', () => {
    for (const bad of ['a.b', 'a b', 'a*', 'a>']) expect(() => streamNames(bad)).toThrow();
  });

  it("reads a PORTFOLIO subject's topic back: a price's instrument, a change's owner, nothing for the rest", () => {
    expect(portfolioSubjectTopic(priceUpdatedSubject('i-1'))).toEqual({ kind: 'price', id: 'i-1' });
    expect(portfolioSubjectTopic(portfolioChangedSubject('o-1'))).toEqual({ kind: 'changed', id: 'o-1' });
    expect(portfolioSubjectTopic(notificationSubject('u-1'))).toBeUndefined();
    expect(portfolioSubjectTopic(fxUpdatedSubject('EUR', 'USD'))).toBeUndefined();
  });
});
