import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * The text of a PDF, as poppler's pdftotext reads it (`apt-get install poppler-utils`; .ci/run installs
 * it when missing). `layout` (the default) keeps a table's cells on their row, so a test can find a
 * holding's name and value on one line; without it the text comes in reading order, where a cell whose
 * text wraps stays together.
 */
export async function pdfToText(pdf: Uint8Array, { layout = true } = {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tickfolio-pdf-'));
  try {
    const file = join(dir, 'in.pdf');
    await writeFile(file, pdf);
    const { stdout } = await run('pdftotext', [...(layout ? ['-layout'] : []), '-enc', 'UTF-8', file, '-'], {
      maxBuffer: 64 * 1024 * 1024,
    });
    return stdout;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
