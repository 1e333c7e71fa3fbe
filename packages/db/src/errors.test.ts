import { describe, expect, it } from 'vitest';
import { constraintViolation, isDatabaseUnavailable } from './errors';

describe('constraintViolation', () => {
  it('reads SQLSTATE integrity classes', () => {
    expect(constraintViolation({ code: '23505', constraint: 'users_email_lower_unique' })).toEqual({
      kind: 'unique',
      constraint: 'users_email_lower_unique',
    });
    expect(constraintViolation({ code: '23503' })).toEqual({ kind: 'foreign_key', constraint: undefined });
  });

  it('ignores everything else', () => {
    expect(constraintViolation(new Error('boom'))).toBeUndefined();
    expect(constraintViolation({ code: '40001' })).toBeUndefined();
    expect(constraintViolation(null)).toBeUndefined();
  });
});

describe('isDatabaseUnavailable', () => {
  const systemError = (code: string) => Object.assign(new Error(`connect ${code} 127.0.0.1:5432`), { code });

  it('recognizes network failures, lost connections, timeouts and transient SQLSTATEs', () => {
    for (const code of ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH']) {
      expect(isDatabaseUnavailable(systemError(code))).toBe(true);
    }
    for (const message of [
      'Connection terminated unexpectedly',
      'Connection terminated due to connection timeout',
      'timeout exceeded when trying to connect',
      'Query read timeout',
      'Client has encountered a connection error and is not queryable',
    ]) {
      expect(isDatabaseUnavailable(new Error(message))).toBe(true);
    }
    // admin shutdown, cannot connect now, too many connections, statement timeout, connection failure.
    for (const code of ['57P01', '57P03', '53300', '57014', '08006', '40001', '40P01']) {
      expect(isDatabaseUnavailable({ code, message: 'x' })).toBe(true);
    }
    expect(isDatabaseUnavailable(new Error('migration failed', { cause: systemError('ECONNREFUSED') }))).toBe(
      true,
    );
    expect(isDatabaseUnavailable(new AggregateError([systemError('ECONNREFUSED')]))).toBe(true);
  });

  it('leaves statements the database refused, and everything else, alone', () => {
    // invalid_text_representation, unique violation, syntax error: the request, not the database.
    for (const code of ['22P02', '23505', '42601', 'ERR_INVALID_ARG_TYPE']) {
      expect(isDatabaseUnavailable({ code, message: 'x' })).toBe(false);
    }
    expect(isDatabaseUnavailable(new Error('boom'))).toBe(false);
    expect(isDatabaseUnavailable(null)).toBe(false);
    expect(isDatabaseUnavailable('Connection terminated')).toBe(false);
  });
});
