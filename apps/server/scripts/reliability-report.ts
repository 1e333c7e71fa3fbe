import { readFile, writeFile } from 'node:fs/promises';
import { RELIABILITY_RESULTS, readReliabilityRows } from '@tickfolio/testing';
import { reliabilityTables, withTables } from '../test/support/reliability-tables';

/**
 * `pnpm reliability:report`: writes the rows the fault and hostile-input tests recorded (the newest of
 * each test) into docs/reliability.md's tables, so every row there was produced by a test.
 */
const doc = new URL('../../../docs/reliability.md', import.meta.url);
const rows = await readReliabilityRows();
if (!rows.length) {
  process.stderr.write(
    `no results in ${RELIABILITY_RESULTS}: run the fault tests first (see docs/reliability.md)\n`,
  );
  process.exit(1);
}
await writeFile(doc, withTables(await readFile(doc, 'utf8'), reliabilityTables(rows)));
process.stderr.write(`docs/reliability.md: ${rows.length} rows read from ${RELIABILITY_RESULTS}\n`);
