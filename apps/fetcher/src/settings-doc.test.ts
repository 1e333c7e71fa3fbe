import { readFileSync } from 'node:fs';
import { compareSettingsTable, readSettingsTable } from '@tickfolio/testing';
import { describe, expect, it } from 'vitest';
import { SETTING_NAMES, settingDefaults } from './config';

const operations = readFileSync(new URL('../../../docs/operations.md', import.meta.url), 'utf8');

describe('docs/operations.md, Settings: Fetcher', () => {
  const rows = readSettingsTable(operations, 'Fetcher');
  const problems = compareSettingsTable(rows, settingDefaults(), SETTING_NAMES);

  it('has a row for every setting of the schema, and none for anything else', () => {
    expect(problems.undocumented).toEqual([]);
    expect(problems.unknown).toEqual([]);
    expect(rows.size).toBe(SETTING_NAMES.length);
  });

  it('gives the default the schema gives, wherever a default is one plain value', () => {
    expect(problems.wrongDefaults).toEqual([]);
  });
});
