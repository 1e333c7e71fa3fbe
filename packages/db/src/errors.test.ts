import { describe, expect, it } from 'vitest';
import { constraintViolation } from './errors';

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
