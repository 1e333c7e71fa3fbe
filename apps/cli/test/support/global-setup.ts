import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { provideApiServer } from '@tickfolio/api/testing';
import type { TestProject } from 'vitest/node';

/**
 * Before the first test file: the CLI built from the current sources (the binary tests start
 * dist/tickfolio.js, as a user does), and one real server, a process of its own, for the whole run
 * (see @tickfolio/api/testing).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  await promisify(execFile)(process.execPath, [join(import.meta.dirname, '../../scripts/build.mjs')]);
  return provideApiServer(project);
}
