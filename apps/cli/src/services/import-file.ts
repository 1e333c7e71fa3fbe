import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { ImportFormat } from '../api/types';
import { CliError, EXIT, usageError } from '../errors';

export const IMPORT_FORMATS: readonly ImportFormat[] = ['tickfolio-csv', 'ghostfolio-csv', 'ghostfolio-json'];

/** Tickfolio's own CSV: its header (docs/tickfolio-csv.md), whose first columns say which it is. */
const TICKFOLIO_COLUMNS = 'date,type,symbol,quantity,price,fee,amount,currency,note';
const TICKFOLIO_HEADER = /^\uFEFF?"?date"?,"?type"?,"?symbol"?/i;
/** Ghostfolio's activities CSV names these among its columns. */
const GHOSTFOLIO_HEADER = /^\uFEFF?.*\bdate\b.*\b(code|symbol)\b.*\b(action|type)\b/i;

/**
 * The format of an export: JSON is Ghostfolio's; a CSV is Tickfolio's or Ghostfolio's by its header.
 * A CSV whose first line is neither header (a file saved without one) is refused with the header to
 * add, rather than read as Ghostfolio's and reported against columns the writer never meant.
 */
export function detectFormat(path: string, content: string): ImportFormat {
  const extension = extname(path).toLowerCase();
  if (extension === '.json' || content.trimStart().startsWith('{')) return 'ghostfolio-json';
  if (TICKFOLIO_HEADER.test(content)) return 'tickfolio-csv';
  const firstLine = content.split(/\r?\n/, 1)[0] ?? '';
  if (GHOSTFOLIO_HEADER.test(firstLine)) return 'ghostfolio-csv';
  throw usageError(
    `${path} has no header row that names its columns (its first line is "${truncate(firstLine, 60)}").`,
    `A Tickfolio CSV starts with the line\n  ${TICKFOLIO_COLUMNS}\n(see \`tickfolio tx import --help\`), or give --format for a Ghostfolio export.`,
  );
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export async function readImportFile(path: string): Promise<string> {
  try {
    const content = await readFile(path, 'utf8');
    if (content.trim() === '') throw new CliError(`${path} is empty.`, EXIT.error);
    return content;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw usageError(`No file at ${path}.`);
    if (code === 'EISDIR') throw usageError(`${path} is a folder, not a file.`);
    if (code === 'EACCES') throw new CliError(`Cannot read ${path}: permission denied.`, EXIT.error);
    throw error;
  }
}

/**
 * How many rows (transactions) an import file holds, as the server will count them: a CSV's records
 * after its header (a quoted note may span lines; blank lines are no records), a Ghostfolio JSON
 * export's activities. Undefined when the file cannot be read that way (the server says why).
 */
export function countImportRows(content: string, format: ImportFormat): number | undefined {
  if (format === 'ghostfolio-json') {
    try {
      const activities = (JSON.parse(content) as { activities?: unknown }).activities;
      return Array.isArray(activities) ? activities.length : undefined;
    } catch {
      return undefined;
    }
  }
  let records = 0;
  let quoted = false;
  let filled = false;
  for (const char of content) {
    if (char === '"') quoted = !quoted;
    if (char === '\n' && !quoted) {
      if (filled) records += 1;
      filled = false;
    } else if (char !== '\r' && char !== '\uFEFF' && !(char.trim() === '' && !filled)) filled = true;
  }
  if (filled) records += 1;
  return Math.max(0, records - 1);
}

/** "1,204 rows of trades.csv": what a spinner names while the server checks or stores them. */
export function rowsOf(file: string, rows: number | undefined): string {
  if (rows === undefined) return file;
  return `${rows.toLocaleString('en-US')} row${rows === 1 ? '' : 's'} of ${file}`;
}
