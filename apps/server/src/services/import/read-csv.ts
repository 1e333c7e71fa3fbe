import { CsvError, parse } from 'csv-parse/sync';
import { type ImportRowError, MAX_IMPORT_ROWS } from './import-types';

export interface CsvRecord {
  /** The record's line in the file (the header is line 1). */
  readonly row: number;
  /** Cells by lower-cased header name, trimmed; empty cells are ''. */
  readonly cells: Readonly<Record<string, string>>;
}

export type CsvRead =
  | { readonly ok: true; readonly header: readonly string[]; readonly records: readonly CsvRecord[] }
  | { readonly ok: false; readonly error: ImportRowError };

/** Reads a CSV file with a header row; a malformed file is one error naming the line. */
export function readCsv(content: string): CsvRead {
  let header: string[] = [];
  try {
    const parsed = parse(content, {
      bom: true,
      columns: (names: string[]) => {
        header = names.map((n) => n.trim().toLowerCase());
        return header;
      },
      skip_empty_lines: true,
      trim: true,
      info: true,
      to: MAX_IMPORT_ROWS + 1,
    }) as { record: Record<string, string>; info: { lines: number } }[];
    if (parsed.length > MAX_IMPORT_ROWS) {
      return { ok: false, error: { row: 0, message: `a file may hold at most ${MAX_IMPORT_ROWS} rows` } };
    }
    return {
      ok: true,
      header,
      records: parsed.map(({ record, info }) => ({ row: info.lines, cells: record })),
    };
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const line = (error as CsvError & { lines?: number }).lines ?? 0;
    return { ok: false, error: { row: line, message: `unreadable CSV: ${error.message}` } };
  }
}
