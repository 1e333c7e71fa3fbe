import { DomainError } from '@tickfolio/core';
import { describe, expect, it } from 'vitest';
import { AuthError } from '../auth/auth-errors';
import { UnavailableError } from '../services/unavailable';
import { oversellOf, reasonOf, toTRPCError } from './to-trpc-error';

const pgError = (code: string, message: string) =>
  Object.assign(new Error(message), { code, severity: 'ERROR' });

describe('toTRPCError', () => {
  it('answers a failed dependency with SERVICE_UNAVAILABLE, reason UNAVAILABLE and a generic message', () => {
    for (const failure of [
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
      new Error('Connection terminated unexpectedly'),
      new Error('timeout exceeded when trying to connect'),
      pgError('57P01', 'terminating connection due to administrator command'),
      new Error('Command timed out'),
    ]) {
      const mapped = toTRPCError(failure);
      expect(mapped.code).toBe('SERVICE_UNAVAILABLE');
      expect(mapped.message).toBe('the service is temporarily unavailable; retry shortly');
      expect(reasonOf(mapped)).toBe('UNAVAILABLE');
      expect((mapped.cause as UnavailableError).cause).toBe(failure);
    }
  });

  it('gives an OVERSELL’s held and requested quantities as decimal strings', () => {
    const oversell = new DomainError('OVERSELL', 'too much', {
      transactionId: 'x',
      held: 250_000_000n,
      requested: 1_000_000_000n,
    });
    expect(oversellOf(toTRPCError(oversell))).toEqual({ held: '2.5', requested: '10' });
    expect(oversellOf(toTRPCError(new DomainError('INVALID_SPLIT', 'no')))).toBeUndefined();
  });

  it('never passes a driver’s code on as the reason', () => {
    const mapped = toTRPCError(pgError('22P02', 'invalid input syntax for type uuid: "x"'));
    expect(mapped.code).toBe('INTERNAL_SERVER_ERROR');
    expect(mapped.message).toBe('internal error');
    expect(reasonOf(mapped)).toBeUndefined();
  });

  it('passes our own typed errors’ codes on', () => {
    expect(reasonOf(toTRPCError(new DomainError('OVERSELL', 'too much')))).toBe('OVERSELL');
    expect(reasonOf(toTRPCError(new AuthError('INVALID_TOKEN')))).toBe('INVALID_TOKEN');
    expect(toTRPCError(new UnavailableError(new Error('x'))).code).toBe('SERVICE_UNAVAILABLE');
  });
});
