import { expandExponent } from './decimal-text';
import { notARealDate } from './trade-date-text';

/** Longest written-out form of an exponent a message offers. */
const MAX_OFFERED = 24;

/** Fields whose values are decimal text. */
const DECIMAL_FIELDS = new Set(['quantity', 'price', 'fee', 'amount']);

/**
 * A row's refusal in words about the value the file holds. The ledger's schema says what a value must
 * be ("must be a plain decimal number such as 12.34"), which is true of every bad value alike; a person
 * fixing a file is helped more by hearing what is wrong with theirs — a month 13, a thousands
 * separator, an exponent — and what to write instead. Other refusals pass through as they are.
 */
export function valueMessage(field: string, value: unknown, message: string): string {
  if (typeof value !== 'string') return message;
  const text = value.trim();
  if (field === 'tradeDate') return notARealDate(text) ?? message;
  if (!DECIMAL_FIELDS.has(field) || !message.startsWith('must be a plain decimal')) return message;
  if (/^[+-]?\d+(\.\d+)?[eE][+-]?\d+$/.test(text)) {
    // The written-out form is offered only when it is short: 1e40 written out helps nobody.
    const plain = expandExponent(text);
    const offer = plain.length <= MAX_OFFERED && !/e/i.test(plain) ? ` (${plain})` : '';
    return `${text} is in exponent notation; write it out as a plain decimal number${offer}`;
  }
  if (/^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/.test(text)) {
    return `${text} has thousands separators; write it without them (${text.replace(/,/g, '')})`;
  }
  if (/^[+-]?\d+,\d+$/.test(text)) {
    return `${text} has a decimal comma; write the point as '.' (${text.replace(',', '.')})`;
  }
  return `${JSON.stringify(text)} is not a number; write a plain decimal such as 12.34`;
}
