import {
  nonNegativeDecimalSchema,
  PRICE_SCALE,
  positiveDecimalSchema,
  QTY_SCALE,
  tradeDateSchema,
} from '@tickfolio/core';
import { InvalidArgumentError } from 'commander';
import type { z } from 'zod';
import { usageError } from '../errors';

/**
 * Option parsers that check values here, before any call, with the server's own rules (core's
 * schemas): a value the server would refuse is a usage error (exit 2) with one sentence, never a
 * server refusal (exit 1), and never several messages for one mistake.
 */
function checkedBy(schema: z.ZodType<string>, example: string) {
  return (text: string): string => {
    const result = schema.safeParse(text);
    if (result.success) return text;
    const first = result.error.issues[0]?.message ?? 'is not valid';
    throw new InvalidArgumentError(`${first} (e.g. ${example}).`);
  };
}

/** Units of an instrument: greater than 0, at most 8 places. */
export const quantityArg = checkedBy(positiveDecimalSchema(QTY_SCALE), '10 or 2.5');
/** A price or a fee: 0 or more, at most 8 places. */
export const nonNegativeAmountArg = checkedBy(nonNegativeDecimalSchema(PRICE_SCALE), '189.50');
/** A cash amount: greater than 0, at most 8 places. */
export const positiveAmountArg = checkedBy(positiveDecimalSchema(PRICE_SCALE), '1000 or 3.10');
/** A trade date: a real calendar day (2024-05-31) or an ISO instant with an offset. */
export const tradeDateArg = checkedBy(tradeDateSchema, '2024-05-31');

/** A real calendar day, YYYY-MM-DD (2026-13-01 and 2026-02-30 are refused). */
export function calendarDayArg(text: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const parsed = match ? new Date(`${text}T00:00:00Z`) : null;
  if (!parsed || Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== text) {
    throw new InvalidArgumentError('expected a day such as 2024-01-31.');
  }
  return text;
}

/** --from and --to as days, as `prices history` and `history` take them. */
export interface RangeOptions {
  readonly from?: string;
  readonly to?: string;
  readonly limit?: number;
}

/** The range as the server's instants (UTC midnights); --to must come after --from (a usage error). */
export function rangeInput(options: RangeOptions): { from?: string; to?: string } {
  if (options.from !== undefined && options.to !== undefined && options.to <= options.from) {
    throw usageError(`--to (${options.to}) must come after --from (${options.from}).`);
  }
  return {
    ...(options.from === undefined ? {} : { from: `${options.from}T00:00:00Z` }),
    ...(options.to === undefined ? {} : { to: `${options.to}T00:00:00Z` }),
  };
}

/** Most shares on either side of a split ratio (the Tickfolio CSV's limit too). */
const MAX_SPLIT_SIDE = 9_999_999;

/**
 * A split ratio, written OLD:NEW everywhere (this option, `tx list`, the Tickfolio CSV): 1:10 turns
 * each share into ten, 10:1 merges ten into one. A row copied from `tx list` imports as the same split.
 */
export function splitRatioArg(text: string): { from: number; to: number } {
  const match = /^(\d{1,7}):(\d{1,7})$/.exec(text);
  const from = Number(match?.[1]);
  const to = Number(match?.[2]);
  if (!match || from < 1 || to < 1 || from > MAX_SPLIT_SIDE || to > MAX_SPLIT_SIDE || from === to) {
    throw new InvalidArgumentError(
      'expected OLD:NEW with two different whole numbers, e.g. 1:10 (each share becomes ten).',
    );
  }
  return { from, to };
}

/** A split's ratio as written: OLD:NEW. */
export function splitRatio(from: number | null, to: number | null): string {
  return `${from ?? '?'}:${to ?? '?'}`;
}
