/**
 * Reads one settings table of docs/operations.md: the rows under `### {heading}` (up to the next
 * heading), keyed by the backticked UPPER_SNAKE name of their first column, with their default cell.
 * The settings-doc tests hold these rows to the config schemas, so the document cannot drift from them.
 */
export function readSettingsTable(markdown: string, heading: string): Map<string, string> {
  const lines = markdown.split('\n');
  const start = lines.indexOf(`### ${heading}`);
  if (start < 0) throw new Error(`no "### ${heading}" in the document`);
  const rows = new Map<string, string>();
  for (const line of lines.slice(start + 1)) {
    if (line.startsWith('#')) break;
    const cells = line.split('|').map((cell) => cell.trim());
    // A row is `| name | default | meaning |`: split, the first and last pieces are empty.
    const name = /^`([A-Z][A-Z0-9_]*)`$/.exec(cells[1] ?? '')?.[1];
    if (!line.startsWith('|') || name === undefined) continue;
    if (rows.has(name)) throw new Error(`${name} has two rows under "${heading}"`);
    rows.set(name, cells[2] ?? '');
  }
  return rows;
}

/** A default cell that is one value in backticks (`600`, `info`), or null for prose ("unset: …", "none"). */
function plainDefault(cell: string): string | null {
  return /^`([^`]*)`$/.exec(cell)?.[1] ?? null;
}

/** How a schema's default reads when written as the variable's value: lists comma-separated. */
function asSettingText(value: unknown): string | null {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return String(value);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string' || typeof v === 'number')) {
    return value.join(',');
  }
  return null;
}

interface SettingsTableProblems {
  /** Settings of the schema without a row. */
  readonly undocumented: readonly string[];
  /** Rows naming no setting of the schema. */
  readonly unknown: readonly string[];
  /** `NAME: documented … but the schema gives …`, for every default that differs. */
  readonly wrongDefaults: readonly string[];
}

/**
 * Holds a settings table to its schema: the same names, and the same default wherever either side has
 * a plain one. A prose default ("unset: …", "none", "empty") is left alone when the schema's default has
 * no plain text (no default, an empty string or list, an object), so derived defaults are not second-guessed.
 */
export function compareSettingsTable(
  rows: ReadonlyMap<string, string>,
  defaults: Readonly<Record<string, unknown>>,
  names: readonly string[],
): SettingsTableProblems {
  const known = new Set(names);
  const wrongDefaults: string[] = [];
  for (const [name, cell] of rows) {
    if (!known.has(name)) continue;
    const documented = plainDefault(cell);
    const actual = asSettingText(defaults[name]);
    if (documented === null && (actual === null || actual === '')) continue;
    if (documented !== actual) {
      wrongDefaults.push(
        `${name}: documented ${cell} but the schema gives ${JSON.stringify(defaults[name])}`,
      );
    }
  }
  return {
    undocumented: names.filter((name) => !rows.has(name)),
    unknown: [...rows.keys()].filter((name) => !known.has(name)),
    wrongDefaults,
  };
}
