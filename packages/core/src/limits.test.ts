import { describe, expect, it } from 'vitest';
import {
  boundedDecimalSchema,
  int8TextSchema,
  isoInstantSchema,
  multiLineTextSchema,
  printableKeySchema,
  singleLineTextSchema,
  tradeDateAfterClock,
  tradeDateSchema,
} from './limits';

const ok = (schema: { safeParse(v: unknown): { success: boolean } }, value: unknown) =>
  schema.safeParse(value).success;

describe('text limits', () => {
  const name = singleLineTextSchema(10);

  it('trims single-line text and keeps what a person can read', () => {
    expect(name.parse('  Savings ')).toBe('Savings');
    expect(ok(name, 'Épargne 😀')).toBe(true);
    expect(ok(name, 'x'.repeat(10))).toBe(true);
    expect(ok(name, 'x'.repeat(11))).toBe(false);
  });

  it('refuses NUL, every other control character, line breaks and lone surrogates', () => {
    for (const bad of [
      'a\u0000b',
      '\u0000',
      'a\tb',
      'a\nb',
      'a\u007fb',
      'a\u0085b',
      'a\u2028b',
      'a\ud800b',
    ]) {
      expect(ok(name, bad), JSON.stringify(bad)).toBe(false);
    }
  });

  it('refuses names of nothing visible: blanks, controls only, zero-width characters only', () => {
    for (const bad of ['', '   ', '\u0001\u0002\u0003', '\u200b\u200b', '\u202e', '\u00a0\u3000']) {
      expect(ok(name, bad), JSON.stringify(bad)).toBe(false);
    }
  });

  it('lets multi-line content hold tabs and line breaks, but no other control character', () => {
    const note = multiLineTextSchema(20);
    expect(note.parse(' line 1\r\n\tline 2 ')).toBe('line 1\r\n\tline 2');
    expect(ok(note, '')).toBe(true);
    expect(ok(note, 'a\u0000b')).toBe(false);
    expect(ok(note, 'a\u001bb')).toBe(false);
    expect(ok(note, 'x'.repeat(21))).toBe(false);
  });

  it('keeps client keys to printable ASCII', () => {
    const key = printableKeySchema(8);
    expect(ok(key, 'batch-1')).toBe(true);
    expect(ok(key, 'a b')).toBe(false);
    expect(ok(key, 'a\u0000')).toBe(false);
    expect(ok(key, 'x'.repeat(9))).toBe(false);
  });
});

describe('decimal limits', () => {
  const quantity = boundedDecimalSchema(8, 'positive');
  const fee = boundedDecimalSchema(8, 'non-negative');

  it('allows up to 15 digits before the point and the scale after it', () => {
    expect(ok(quantity, '999999999999999.99999999')).toBe(true);
    expect(ok(quantity, '000000000000000001')).toBe(true);
    expect(ok(quantity, '1.100000000000')).toBe(true);
    expect(ok(quantity, '1000000000000000')).toBe(false);
    expect(ok(quantity, `1${'0'.repeat(40)}`)).toBe(false);
    expect(ok(quantity, '1.000000001')).toBe(false);
  });

  it('refuses 10^40 with a message naming the limit', () => {
    expect(quantity.safeParse('1'.padEnd(40, '0')).error?.issues[0]?.message).toBe(
      'at most 15 digits before the decimal point',
    );
  });

  it('is positive or non-negative as asked', () => {
    expect(ok(quantity, '0')).toBe(false);
    expect(ok(fee, '0')).toBe(true);
    expect(ok(fee, '-0.01')).toBe(false);
    expect(ok(fee, '1e3')).toBe(false);
  });
});

describe('date limits', () => {
  it('takes instants with an offset between 1900 and 9999 (in UTC)', () => {
    expect(ok(isoInstantSchema, '2024-01-15T14:30:00Z')).toBe(true);
    expect(ok(isoInstantSchema, '1900-01-01T00:00:00Z')).toBe(true);
    expect(ok(isoInstantSchema, '0000-01-01T00:00:00Z')).toBe(false);
    expect(ok(isoInstantSchema, '1899-12-31T23:59:59Z')).toBe(false);
    expect(ok(isoInstantSchema, '1900-01-01T00:30:00+01:00')).toBe(false);
    expect(ok(isoInstantSchema, '9999-12-31T23:59:59-23:59')).toBe(false);
    expect(ok(isoInstantSchema, '2024-01-15T14:30:00')).toBe(false);
  });

  it('takes trade dates as calendar dates or instants within the same range', () => {
    for (const good of ['2024-01-15', '1900-01-01', '9999-12-31', '2024-01-15T14:30:00+05:30']) {
      expect(ok(tradeDateSchema, good), good).toBe(true);
    }
    for (const bad of [
      '0000-01-01',
      '1000-01-01',
      '1899-12-31',
      '2021-02-30',
      '2024-13-01',
      '20240115',
      '',
    ]) {
      expect(ok(tradeDateSchema, bad), bad).toBe(false);
    }
    expect(tradeDateSchema.safeParse('1000-01-01').error?.issues[0]?.message).toBe(
      'must lie between 1900-01-01 and 9999-12-31',
    );
  });

  it('refuses trade dates more than a day past the clock', () => {
    const now = new Date('2026-03-10T12:00:00Z');
    expect(tradeDateAfterClock('2026-03-10', now)).toBeUndefined();
    expect(tradeDateAfterClock('2026-03-11', now)).toBeUndefined();
    expect(tradeDateAfterClock('2026-03-11T12:00:00Z', now)).toBeUndefined();
    expect(tradeDateAfterClock('2026-03-12', now)).toBe(
      'must not be later than 2026-03-11 (trades lie in the past)',
    );
    expect(tradeDateAfterClock('9999-12-31', now)).toBeDefined();
  });
});

describe('integer limits', () => {
  it('holds bigint text to PostgreSQL int8', () => {
    expect(ok(int8TextSchema, '0')).toBe(true);
    expect(ok(int8TextSchema, '9223372036854775807')).toBe(true);
    expect(ok(int8TextSchema, '9223372036854775808')).toBe(false);
    expect(ok(int8TextSchema, '99999999999999999999')).toBe(false);
    expect(ok(int8TextSchema, '01')).toBe(false);
    expect(ok(int8TextSchema, '-1')).toBe(false);
  });
});
