import type { ImportFormat } from '../api/types';

/** The formats transactions.import reads, as the import form names them. */
export const IMPORT_FORMAT_NAMES: Record<ImportFormat, string> = {
  'tickfolio-csv': 'Tickfolio CSV',
  'ghostfolio-csv': 'Ghostfolio CSV',
  'ghostfolio-json': 'Ghostfolio JSON',
};

/**
 * Columns that mark Tickfolio's own CSV (date, type, symbol, quantity, price, fee, amount, currency,
 * note): Ghostfolio's reader has no `amount` column, and Tickfolio's names its instrument `symbol`.
 */
const TICKFOLIO_MARKS = ['type', 'symbol', 'amount'];

/**
 * The format a file most likely is, from its name and its first line: JSON (a Ghostfolio export) by
 * its extension or its opening bracket; a CSV whose header has Tickfolio's marks is Tickfolio's (one
 * with a column missing then gets the server's answer for that format, which names the column); any
 * other CSV is read as Ghostfolio's, whose reader also takes broker exports. It is a guess the advisor
 * can override: the server checks the file against the format it is told, row by row.
 */
export function detectImportFormat(fileName: string, content: string): ImportFormat {
  const text = content.replace(/^\uFEFF/, '').trimStart();
  if (/\.json$/i.test(fileName) || text.startsWith('{') || text.startsWith('[')) return 'ghostfolio-json';
  const header = (text.split(/\r?\n/, 1)[0] ?? '').split(',').map((cell) =>
    cell
      .trim()
      .replace(/^"(.*)"$/, '$1')
      .toLowerCase(),
  );
  return TICKFOLIO_MARKS.every((c) => header.includes(c)) ? 'tickfolio-csv' : 'ghostfolio-csv';
}
