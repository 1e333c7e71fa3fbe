/** What every import format parses a file into, before instruments are resolved and rows checked. */

/** A problem with one row (`row` 0: the file as a whole, e.g. unreadable CSV or a missing column). */
export interface ImportRowError {
  /** CSV: the line in the file (the header is line 1). JSON: the 1-based position in `activities`. */
  readonly row: number;
  /** The file's name for the offending field, when one field is at fault. */
  readonly field?: string;
  readonly message: string;
  /** A domain code (OVERSELL, CURRENCY_MISMATCH, …) when the ledger refused the row. */
  readonly reason?: string;
}

/** How a file names an instrument. */
export interface InstrumentRef {
  /** A Tickfolio symbol, a data source's symbol (e.g. Yahoo's MUV2.DE), an ISIN or a foreign id. */
  readonly code: string;
  /** The Tickfolio identifier source the code belongs to ('yahoo', 'alphavantage'), when the file says. */
  readonly source?: string;
  /** The data source exactly as the file writes it ('YAHOO', 'MANUAL'), for the unknown-instrument list. */
  readonly dataSource?: string;
  readonly isin?: string;
  /** The instrument's name, when the file gives one (a Ghostfolio asset profile's). */
  readonly name?: string;
  /** Shown in messages instead of the code (e.g. a Ghostfolio asset profile's name). */
  readonly label?: string;
  /**
   * An asset without a price source, priced by hand (Ghostfolio's MANUAL data source: a house, a
   * watch): when the catalogue lacks it, it is listed as a manual asset to add, not a symbol to look up.
   */
  readonly manual?: boolean;
  /** A manual asset that is a debt (Ghostfolio's LIABILITY: a loan, a mortgage): its value counts negative. */
  readonly liability?: boolean;
}

export const IMPORT_MODES = ['all-or-nothing', 'skip-invalid'] as const;
/**
 * all-or-nothing: any refused row and nothing is stored. skip-invalid: the valid rows are stored and
 * each refused row is reported. Either way what is stored is stored in one database transaction.
 */
export type ImportMode = (typeof IMPORT_MODES)[number];

/**
 * An instrument a file names that the catalogue does not hold, as the file describes it: what a lookup
 * (or a person) needs to add it.
 */
export interface UnknownInstrument {
  /** 'symbol': a listed security to look up by symbol; 'manual': an asset whose price is set by hand. */
  readonly kind: 'symbol' | 'manual';
  /** The file's code for it (a ticker, a Ghostfolio MANUAL asset's id or name). */
  readonly symbol: string;
  /** The data source as the file writes it ('YAHOO', 'MANUAL'); absent when the format has none. */
  readonly dataSource?: string;
  /** The currency of the rows that name it (the file's statement of its trading currency). */
  readonly currency?: string;
  readonly name?: string;
  readonly isin?: string;
  /** A manual asset's price by hand: the unit price of its latest row in the file, and that row's date. */
  readonly unitPrice?: string;
  readonly date?: string;
  /** A manual asset that is a debt (a Ghostfolio LIABILITY): added, its value counts negative. */
  readonly liability?: boolean;
  /** The rows naming it (the first MAX_LISTED_ROWS of them) and how many there are. */
  readonly rows: readonly number[];
  readonly rowCount: number;
  /** Why it stayed unknown, when a resolver tried and could not add it (see UnresolvedReason). */
  readonly reason?: UnresolvedReason;
}

/**
 * Why an unknown instrument was not added. not_found: no source knows the symbol exactly; ambiguous:
 * several listings match it (the file's currency does not pick one); unavailable: no source could be
 * asked (no fetcher answered, or embedded mode); needs_admin: a source knows it, but this server's
 * INSTRUMENT_REQUESTS=review lets only an admin add it; not_allowed: the caller cannot add instruments
 * (an API client); invalid: the file does not say enough to add it (a manual asset without a currency).
 */
export interface UnresolvedReason {
  readonly code: 'not_found' | 'ambiguous' | 'unavailable' | 'needs_admin' | 'not_allowed' | 'invalid';
  readonly message: string;
}

/**
 * An instrument the file named that was added to the catalogue during the import (a dry run: would be),
 * with the instrument as the catalogue holds it — its id null in a dry run, where it does not exist.
 */
export interface AddedInstrument extends UnknownInstrument {
  readonly instrument: {
    readonly id: string | null;
    readonly symbol: string;
    readonly name: string;
    readonly exchange: string | null;
    readonly currency: string;
    readonly assetClass: string;
    readonly priceSource: 'market' | 'manual';
    readonly liability: boolean;
  };
}

/** A row that matches a recorded transaction (or a Tickfolio row stored before under this file's key). */
export interface ImportDuplicate {
  readonly row: number;
  readonly message: string;
}

/** Draft fields as the file gave them (strings, unchecked); instrumentId is filled in by resolution. */
export type RawDraft = Readonly<Record<string, string | number | undefined>>;

export interface ParsedRow {
  readonly row: number;
  /** Null for cash rows (deposits, withdrawals, account fees). */
  readonly instrument: InstrumentRef | null;
  readonly draft: RawDraft;
}

export interface ParsedFile {
  readonly rows: readonly ParsedRow[];
  readonly errors: readonly ImportRowError[];
  /** The file's column for each draft field, so errors name what the user sees. */
  readonly columnOf: Readonly<Record<string, string>>;
}

/** At most this many data rows per file (a 5 MB file of short rows stays below it). */
export const MAX_IMPORT_ROWS = 100_000;
