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
  readonly isin?: string;
  /** Shown in messages instead of the code (e.g. a Ghostfolio asset profile's name). */
  readonly label?: string;
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
