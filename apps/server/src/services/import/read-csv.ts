import { finished } from 'node:stream/promises';
import { CsvError, parse } from 'csv-parse';
import { type ImportRowError, MAX_IMPORT_ROWS } from './import-types';
import { nextTurn } from './in-turns';

export interface CsvRecord {
  /** The record's line in the file (the header is line 1). */
  readonly row: number;
  /** Cells by lower-cased header name, trimmed; empty cells are ''. */
  readonly cells: Readonly<Record<string, string>>;
}

export type CsvRead =
  | { readonly ok: true; readonly header: readonly string[]; readonly records: readonly CsvRecord[] }
  | { readonly ok: false; readonly error: ImportRowError };

/**
 * Bytes parsed between two turns of the event loop: ~350 short rows, a few milliseconds (as many rows
 * as in-turns.ts's ROWS_PER_TURN, give or take). The file is fed to the parser as bytes, so a slice may
 * end inside a character (the parser joins them).
 */
const BYTES_PER_TURN = 16 * 1024;

/**
 * Reads a CSV file with a header row; a malformed file is one error naming the line. The file is
 * parsed a slice at a time with turns of the event loop between slices (see in-turns.ts).
 */
export async function readCsv(content: string): Promise<CsvRead> {
  let header: string[] = [];
  const records: CsvRecord[] = [];
  let failure: unknown;
  const parser = parse({
    bom: true,
    columns: (names: string[]) => {
      header = names.map((n) => n.trim().toLowerCase());
      return header;
    },
    skip_empty_lines: true,
    trim: true,
    info: true,
  });
  parser.on('data', ({ record, info }: { record: Record<string, string>; info: { lines: number } }) => {
    records.push({ row: info.lines, cells: record });
  });
  parser.on('error', (error) => {
    failure ??= error;
  });
  const bytes = Buffer.from(content, 'utf8');
  const tooMany = () => records.length > MAX_IMPORT_ROWS;
  for (let at = 0; at < bytes.length && failure === undefined && !tooMany(); at += BYTES_PER_TURN) {
    parser.write(bytes.subarray(at, at + BYTES_PER_TURN));
    await nextTurn();
  }
  if (failure === undefined && !tooMany()) {
    parser.end();
    await finished(parser).catch((error: unknown) => {
      failure ??= error;
    });
  } else {
    parser.destroy();
  }
  if (failure !== undefined) {
    if (!(failure instanceof CsvError)) throw failure;
    const line = (failure as CsvError & { lines?: number }).lines ?? 0;
    return { ok: false, error: { row: line, message: `unreadable CSV: ${failure.message}` } };
  }
  if (tooMany()) {
    return { ok: false, error: { row: 0, message: `a file may hold at most ${MAX_IMPORT_ROWS} rows` } };
  }
  return { ok: true, header, records };
}
