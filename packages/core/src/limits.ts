import { z } from 'zod';

/**
 * The limits every input is held to where it enters (API procedures, import rows, webhooks), defined
 * once so that nothing the database cannot store, or the domain has no use for, gets past the edge.
 * docs/api.md ("Limits") lists them for clients. Pure: the clock is an argument.
 */

// ---------------------------------------------------------------------------------------------- text

/**
 * Characters no single-line text may hold: control characters (C0, DEL, C1 — NUL among them, which
 * PostgreSQL text cannot store), the Unicode line and paragraph separators, and lone UTF-16
 * surrogates (not text at all; the driver would turn them into U+FFFD silently).
 */
const NOT_SINGLE_LINE = /[\p{Cc}\u2028\u2029\p{Cs}]/u;
/** Multi-line content may also hold tabs and line breaks, nothing else of the above. */
const NOT_MULTI_LINE = /(?![\t\n\r])[\p{Cc}\u2028\u2029\p{Cs}]/u;
/** Something a reader can see: not only spaces and invisible format characters (zero-width, bidi). */
const VISIBLE = /[^\p{White_Space}\p{Cf}]/u;

/**
 * A name, a search query, a label: trimmed, at least one visible character, at most `maxLength`
 * UTF-16 code units after trimming, no control characters.
 */
export function singleLineTextSchema(maxLength: number) {
  return z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(maxLength, `at most ${maxLength} characters`)
    .refine((text) => !NOT_SINGLE_LINE.test(text), 'must not contain control characters or line breaks')
    .refine((text) => VISIBLE.test(text), 'must contain a visible character');
}

/** Free text such as a note: trimmed, may be empty, may hold tabs and line breaks, no other controls. */
export function multiLineTextSchema(maxLength: number) {
  return z
    .string()
    .trim()
    .max(maxLength, `at most ${maxLength} characters`)
    .refine((text) => !NOT_MULTI_LINE.test(text), 'must not contain control characters');
}

/** Whether `text` is usable as multi-line content (a whole import file is checked with this, untrimmed). */
export function isMultiLineText(text: string): boolean {
  return !NOT_MULTI_LINE.test(text);
}

/** An opaque key chosen by the client (idempotency keys, client ids): printable ASCII, no spaces. */
export function printableKeySchema(maxLength: number) {
  return z
    .string()
    .min(1)
    .max(maxLength)
    .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces');
}

// ------------------------------------------------------------------------------------------ decimals

/**
 * Digits an amount may have before the decimal point: quantities, prices, fees, amounts and rates are
 * below 10^15 (a quadrillion — more than any real holding, price or cash movement, in any currency).
 * The places after the point are each amount's scale (8, or 12 for FX rates), which the database's
 * numeric columns enforce too (`exact(column, places)` in the migrations).
 */
export const MAX_INTEGER_DIGITS = 15;

const PLAIN_DECIMAL = /^-?\d+(\.\d+)?$/;
const MAX_DECIMAL_TEXT = 40;

/** A plain decimal number as text ("12.34", "-0.5"): what amounts travel as, never a JSON number. */
export const decimalStringSchema = z
  .string()
  .max(MAX_DECIMAL_TEXT)
  .regex(PLAIN_DECIMAL, 'must be a plain decimal number such as 12.34');

/** Longest decimal input read at all (leading or trailing zeros included). */
const MAX_DECIMAL_INPUT = 100;

/**
 * A decimal input: a plain decimal number as text, at most `scale` places (further zeros allowed),
 * at most MAX_INTEGER_DIGITS digits before the point, and greater than 0 (`positive`) or at least 0
 * (`non-negative`). Checked on the text, so no size of input costs more than reading it.
 */
export function boundedDecimalSchema(scale: number, sign: 'positive' | 'non-negative') {
  return z
    .string()
    .max(MAX_DECIMAL_INPUT, `at most ${MAX_DECIMAL_INPUT} characters`)
    .regex(PLAIN_DECIMAL, 'must be a plain decimal number such as 12.34')
    .superRefine((text, ctx) => {
      // zod runs this even when the checks above failed; their issues say enough.
      if (text.length > MAX_DECIMAL_INPUT || !PLAIN_DECIMAL.test(text)) return;
      const [whole = '', fraction = ''] = text.replace(/^-/, '').split('.');
      const digits = whole.replace(/^0+/, '');
      const places = fraction.replace(/0+$/, '');
      const zero = digits === '' && places === '';
      const issue = (message: string) => ctx.addIssue({ code: 'custom', message });
      if (places.length > scale) issue(`at most ${scale} decimal places`);
      else if (text.startsWith('-') && !zero)
        issue(sign === 'positive' ? 'must be greater than 0' : 'must not be negative');
      else if (sign === 'positive' && zero) issue('must be greater than 0');
      else if (digits.length > MAX_INTEGER_DIGITS)
        issue(`at most ${MAX_INTEGER_DIGITS} digits before the decimal point`);
    });
}

/** A positive decimal with at most `scale` places (see boundedDecimalSchema). */
export function positiveDecimalSchema(scale: number) {
  return boundedDecimalSchema(scale, 'positive');
}

/** A decimal ≥ 0 with at most `scale` places (see boundedDecimalSchema). */
export function nonNegativeDecimalSchema(scale: number) {
  return boundedDecimalSchema(scale, 'non-negative');
}

// --------------------------------------------------------------------------------------------- dates

/** The first instant any input may name: nothing the system values happened before 1900. */
export const EARLIEST_INSTANT = '1900-01-01T00:00:00.000Z';
/** The last instant any input may name: the last one ISO 8601's four-digit years can write. */
export const LATEST_INSTANT = '9999-12-31T23:59:59.999Z';
const EARLIEST_MS = Date.parse(EARLIEST_INSTANT);
const LATEST_MS = Date.parse(LATEST_INSTANT);
const OUT_OF_RANGE = `must lie between ${EARLIEST_INSTANT.slice(0, 10)} and ${LATEST_INSTANT.slice(0, 10)}`;

function inInstantRange(ms: number): boolean {
  return ms >= EARLIEST_MS && ms <= LATEST_MS;
}

const instantFormat = z.iso.datetime({ offset: true });
const calendarDateFormat = z.iso.date();

/** An ISO 8601 instant with an offset (2024-01-15T14:30:00Z), between 1900 and 9999 in UTC. */
export const isoInstantSchema = instantFormat.refine(
  (text) => inInstantRange(Date.parse(text)),
  OUT_OF_RANGE,
);

/** The instant a trade date stands for: a calendar date is midnight UTC. */
export function tradeDateInstant(text: string): string {
  return new Date(text.length === 10 ? `${text}T00:00:00Z` : text).toISOString();
}

/**
 * A trade date as the API takes it: a calendar date (YYYY-MM-DD, midnight UTC) or an ISO 8601 instant
 * with offset, between 1900 and 9999. Whether it lies in the past is tradeDateAfterClock's question.
 */
export const tradeDateSchema = z
  .string()
  .max(40)
  .superRefine((text, ctx) => {
    const format = text.length === 10 ? calendarDateFormat : instantFormat;
    if (!format.safeParse(text).success) {
      ctx.addIssue({
        code: 'custom',
        message: 'must be a date (YYYY-MM-DD) or an ISO 8601 instant with offset',
      });
    } else if (!inInstantRange(Date.parse(tradeDateInstant(text)))) {
      ctx.addIssue({ code: 'custom', message: OUT_OF_RANGE });
    }
  });

/**
 * How far past the clock a trade date may lie: a day, so that a trade made today anywhere on Earth
 * (up to UTC+14) may carry its local date.
 */
export const TRADE_DATE_ALLOWANCE_MS = 24 * 60 * 60 * 1000;

/** Why a (well-formed) trade date is refused when the clock reads `now`: trades lie in the past. */
export function tradeDateAfterClock(text: string, now: Date): string | undefined {
  const latest = now.getTime() + TRADE_DATE_ALLOWANCE_MS;
  return Date.parse(tradeDateInstant(text)) > latest
    ? `must not be later than ${new Date(latest).toISOString().slice(0, 10)} (trades lie in the past)`
    : undefined;
}

// ------------------------------------------------------------------------------------------ integers

/** PostgreSQL's bigint (int8): identity columns such as transaction sequences and audit ids. */
export const INT8_MAX = 9_223_372_036_854_775_807n;

const WHOLE_NUMBER = /^(0|[1-9]\d{0,18})$/;

/** A bigint column's value as decimal text (0 … INT8_MAX), e.g. a cursor's position. */
export const int8TextSchema = z
  .string()
  .regex(WHOLE_NUMBER, 'must be a whole number')
  // zod runs this even when the format check failed.
  .refine((text) => !WHOLE_NUMBER.test(text) || BigInt(text) <= INT8_MAX, `must be at most ${INT8_MAX}`);
