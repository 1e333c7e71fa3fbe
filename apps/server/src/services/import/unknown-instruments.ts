import type { Instrument } from '@tickfolio/core';
import { InvalidRequestError } from '../not-found';
import type { InstrumentRef, RawDraft, UnknownInstrument, UnresolvedReason } from './import-types';

/**
 * Instruments an import's file names that the catalogue lacks: gathered while rows are resolved, then
 * offered to a resolver (the seam for symbol lookup and manual assets), and what stays unknown is
 * listed — in the dry run's report, and in the error of a real all-or-nothing run.
 */

/** An unknown instrument lists at most this many of its rows (rowCount says how many there are). */
const MAX_LISTED_ROWS = 20;

export interface ResolveUnknownResult {
  /**
   * Each instrument the resolver added to the catalogue — in a dry run: would add — with the entry it
   * answers (an entry of the list it was given, the same object).
   */
  readonly added: readonly { readonly unknown: UnknownInstrument; readonly instrument: Instrument }[];
  /** The entries it could not resolve (the same objects), each with why: their rows cannot be imported. */
  readonly stillUnknown: readonly {
    readonly unknown: UnknownInstrument;
    readonly reason?: UnresolvedReason;
  }[];
}

/**
 * The seam through which an import resolves the instruments its file names and the catalogue lacks
 * (symbol lookup through the data sources, manual assets with their price by hand).
 *
 * The contract an implementation keeps:
 * - Real run (`dryRun: false`): add each instrument it can to the catalogue, committed on its own (a
 *   catalogue entry is a fact about the market, not part of this import: it stays if the import is then
 *   refused), and return it with its real id. A manual entry (kind 'manual') carries the price by hand
 *   to record with it (unitPrice at date).
 * - Dry run (`dryRun: true`): write nothing; return the instruments it would add, each with a fresh
 *   provisional id (a UUID that names nothing). The import checks the rows naming them against the
 *   returned instrument (its currency, the ledger's rules) and counts them, without writing them.
 * - Every entry given comes back, in `added` or in `stillUnknown`; never throw for an entry that cannot
 *   be resolved (list it, with its reason when it has one), only for a failure of the resolver itself.
 *
 * The default, resolveNothing, resolves nothing: unknown instruments are listed and (in a real
 * all-or-nothing run) refused with that list.
 */
export type ResolveUnknown = (
  unknown: readonly UnknownInstrument[],
  options: { readonly dryRun: boolean },
) => Promise<ResolveUnknownResult>;

export const resolveNothing: ResolveUnknown = async (unknown) => ({
  added: [],
  stillUnknown: unknown.map((u) => ({ unknown: u })),
});

/**
 * A real all-or-nothing import whose file names instruments nobody could resolve: nothing is written;
 * the list is in the error's data (data.unknownInstruments), data.reason is UNKNOWN_INSTRUMENTS.
 */
export class UnknownInstrumentsError extends InvalidRequestError {
  constructor(readonly unknownInstruments: readonly UnknownInstrument[]) {
    const named = unknownInstruments.map((u) => u.symbol);
    const shown =
      named.length > 5 ? `${named.slice(0, 5).join(', ')} and ${named.length - 5} more` : named.join(', ');
    super(
      'UNKNOWN_INSTRUMENTS',
      `the file names ${named.length} instrument${named.length === 1 ? '' : 's'} the catalogue does not hold (${shown}); nothing was imported`,
    );
  }
}

/** How a file's row describes the unknown instrument it names, for the list. */
function describe(ref: InstrumentRef, draft: RawDraft): Omit<UnknownInstrument, 'rows' | 'rowCount'> {
  const text = (value: string | number | undefined) => (typeof value === 'string' ? value : undefined);
  const currency = text(draft.currency);
  return {
    kind: ref.manual ? 'manual' : 'symbol',
    symbol: ref.code,
    ...(ref.dataSource ? { dataSource: ref.dataSource } : {}),
    ...(currency ? { currency } : {}),
    ...(ref.name ? { name: ref.name } : {}),
    ...(ref.isin ? { isin: ref.isin } : {}),
    ...(ref.liability ? { liability: true } : {}),
  };
}

/** Gathers the unknown instruments of a file, one entry per (kind, data source, code, currency). */
export function createUnknownList() {
  const byKey = new Map<string, { entry: Omit<UnknownInstrument, 'rows' | 'rowCount'>; rows: number[] }>();
  const latest = new Map<string, { at: number; unitPrice: string; date: string }>();
  return {
    /** Records that `row` names the unknown `ref`; returns the entry's key. */
    add(row: number, ref: InstrumentRef, draft: RawDraft): string {
      const entry = describe(ref, draft);
      const key = JSON.stringify([
        entry.kind,
        entry.dataSource,
        entry.symbol,
        ref.isin,
        entry.currency,
        entry.liability,
      ]);
      const known = byKey.get(key);
      if (known) known.rows.push(row);
      else byKey.set(key, { entry, rows: [row] });
      // A manual asset's price by hand: the unit price of its latest row (by trade date).
      const { price, tradeDate } = draft;
      if (entry.kind === 'manual' && typeof price === 'string' && typeof tradeDate === 'string') {
        const at = Date.parse(tradeDate);
        const previous = latest.get(key);
        if (!Number.isNaN(at) && (!previous || at >= previous.at)) {
          latest.set(key, { at, unitPrice: price, date: tradeDate });
        }
      }
      return key;
    },
    /** The entries, by key, in the order first named. */
    entries(): Map<string, UnknownInstrument> {
      const out = new Map<string, UnknownInstrument>();
      for (const [key, { entry, rows }] of byKey) {
        const price = latest.get(key);
        out.set(key, {
          ...entry,
          ...(price ? { unitPrice: price.unitPrice, date: price.date } : {}),
          rows: rows.slice(0, MAX_LISTED_ROWS),
          rowCount: rows.length,
        });
      }
      return out;
    },
  };
}

/** A sentence for a row refused because its instrument stayed unknown (skip-invalid mode). */
export function unknownRowMessage(unknown: UnknownInstrument): string {
  const where = [unknown.dataSource, unknown.currency].filter(Boolean).join(', ');
  const what = unknown.kind === 'manual' ? 'manual asset' : 'instrument';
  const why = unknown.reason ? ` and could not be added: ${unknown.reason.message}` : '';
  return `the ${what} ${unknown.name ?? unknown.symbol}${where ? ` (${where})` : ''} is not in the catalogue${why}; add it, then import this row again`;
}
