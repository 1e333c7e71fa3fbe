import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** apps/desktop/test-output: screenshots and PDFs the browser tests leave for a person to look at. */
export const TEST_OUTPUT_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'test-output');

/** A folder of the test output for one test file (created), e.g. `outputDir('desk-e2e')`. */
export async function outputDir(name: string): Promise<string> {
  const dir = join(TEST_OUTPUT_DIR, name);
  await mkdir(dir, { recursive: true });
  return dir;
}
