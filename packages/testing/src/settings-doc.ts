import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compareSettingsTable, readSettingsTable } from './settings-table';

const OPERATIONS = new URL('../../../docs/operations.md', import.meta.url);

/**
 * The tests that hold one settings table of docs/operations.md (`### {heading}`) to a process's config
 * schema: a row for every setting and none for anything else, each plain default as the schema has it.
 */
export function describeSettingsDoc(
  heading: string,
  names: readonly string[],
  defaults: Readonly<Record<string, unknown>>,
): void {
  describe(`docs/operations.md, Settings: ${heading}`, () => {
    const rows = readSettingsTable(readFileSync(OPERATIONS, 'utf8'), heading);
    const problems = compareSettingsTable(rows, defaults, names);

    it('has a row for every setting of the schema, and none for anything else', () => {
      expect(problems.undocumented).toEqual([]);
      expect(problems.unknown).toEqual([]);
      expect(rows.size).toBe(names.length);
    });

    it('gives the default the schema gives, wherever a default is one plain value', () => {
      expect(problems.wrongDefaults).toEqual([]);
    });
  });
}
