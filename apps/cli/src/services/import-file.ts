import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { ImportFormat } from '../api/types';
import { CliError, EXIT, usageError } from '../errors';

export const IMPORT_FORMATS: readonly ImportFormat[] = ['tickfolio-csv', 'ghostfolio-csv', 'ghostfolio-json'];

/** Tickfolio's own CSV starts with this header. */
const TICKFOLIO_HEADER = /^\uFEFF?date,type,symbol,/i;

/** The format of an export: JSON is Ghostfolio's; CSV is Tickfolio's when its header says so. */
export function detectFormat(path: string, content: string): ImportFormat {
  const extension = extname(path).toLowerCase();
  if (extension === '.json' || content.trimStart().startsWith('{')) return 'ghostfolio-json';
  return TICKFOLIO_HEADER.test(content) ? 'tickfolio-csv' : 'ghostfolio-csv';
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
