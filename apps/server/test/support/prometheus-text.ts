import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** One scrape of a /metrics endpoint: its families (from `# TYPE`) and its samples by series. */
export interface Scrape {
  readonly families: ReadonlySet<string>;
  /** The value of one series: `name{label="value",…}` with labels in any order; 0 when absent. */
  value(name: string, labels?: Readonly<Record<string, string>>): number;
  /** Whether some series of this sample name carries these labels. */
  has(name: string, labels?: Readonly<Record<string, string>>): boolean;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** Reads Prometheus' text exposition format (what prom-client writes). */
export function parseScrape(text: string): Scrape {
  const families = new Set<string>();
  const samples: { name: string; labels: Record<string, string>; value: number }[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('# TYPE ')) families.add(line.split(' ')[2]!);
    if (line.startsWith('#') || !line.trim()) continue;
    const m = SAMPLE.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(LABEL)) labels[l[1]!] = l[2]!;
    samples.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  const matching = (name: string, want: Readonly<Record<string, string>>) =>
    samples.filter((s) => s.name === name && Object.entries(want).every(([k, v]) => s.labels[k] === v));
  return {
    families,
    value: (name, labels = {}) => matching(name, labels).reduce((sum, s) => sum + s.value, 0),
    has: (name, labels = {}) => matching(name, labels).length > 0,
  };
}

export async function scrape(url: string): Promise<Scrape> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url} answered ${res.status}`);
  return parseScrape(await res.text());
}

const opsDir = fileURLToPath(new URL('../../../../ops/', import.meta.url));

/** A file of the operator's configuration under ops/. */
export function opsFile(path: string): string {
  return readFileSync(`${opsDir}${path}`, 'utf8');
}

/** PromQL functions, keywords and the like that look like metric names in an expression. */
const NOT_METRICS = new Set([
  'sum',
  'by',
  'rate',
  'increase',
  'histogram_quantile',
  'max',
  'min',
  'time',
  'deriv',
  'and',
  'or',
  'unless',
  'without',
  'on',
  'ignoring',
  'le',
  'avg',
  'count',
  'abs',
  'humanizePercentage',
  'humanizeDuration',
  'bool',
  'offset',
  'irate',
  'delta',
  'topk',
  'bottomk',
  'group_left',
  'group_right',
]);

/**
 * The metric families an expression reads: every identifier outside label matchers, by-clauses and
 * strings that is not a PromQL word, with a histogram's `_bucket`, `_sum` and `_count` taken to its family.
 */
export function familiesIn(expr: string): string[] {
  const bare = expr
    .replace(/\{[^}]*\}/g, '')
    .replace(/\b(by|without|on|ignoring)\s*\([^)]*\)/g, '')
    .replace(/"[^"]*"/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\b\d+(\.\d+)?(e\d+)?\b/g, '');
  const names = bare.match(/[a-zA-Z_:][a-zA-Z0-9_:]*/g) ?? [];
  return [
    ...new Set(
      names
        .filter((n) => !NOT_METRICS.has(n) && !/^\d/.test(n))
        .map((n) => n.replace(/_(bucket|sum|count)$/, '')),
    ),
  ];
}
