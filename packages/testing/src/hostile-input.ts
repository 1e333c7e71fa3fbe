/**
 * Shared material for hostile-input runs (the server's procedures and OAuth route, the fetcher's
 * webhooks): the probes issue #13 found reaching the database, and the check every answer must pass.
 * Each probe list holds only values its kind of field must refuse, so a valid request with one probe
 * put in must be refused as a whole — which lets a run prove "refused requests change nothing" by
 * comparing the database before and after.
 */

/** 10^40: more digits than any amount may have. */
const TEN_TO_THE_40 = `1${'0'.repeat(40)}`;

export const HOSTILE = {
  /** Never a valid name, label, search query or symbol (single-line text). */
  text: [
    '\u0000',
    'Savings\u0000',
    '\u0001\u0002\u0003',
    '\u0007\u0008\u001b',
    '\u200b\u200b',
    '   ',
    'two\nlines',
    '\u001b[31mred',
    'lone \ud800 surrogate',
    'C1 \u0085 control',
    'x'.repeat(5000),
  ],
  /** Never a valid note (multi-line text: tabs and line breaks are fine, nothing else is). */
  note: ['\u0000', 'note\u0000', '\u001b[2J', 'lone \udc00 surrogate', 'n'.repeat(600)],
  /** Never a valid quantity, price, fee, amount or rate. */
  decimal: [
    TEN_TO_THE_40,
    `${TEN_TO_THE_40}.5`,
    '1000000000000000',
    '1e40',
    '-1',
    '0.000000001',
    'NaN',
    'Infinity',
    '\u0000',
    '',
    1e40,
    12.5,
  ],
  /** Never a valid price of a buy or a sell. */
  tradePrice: ['0', '0.00000000', '00.0'],
  /** Never a valid date or instant anywhere (outside 1900–9999, or not a date at all). */
  date: [
    '0000-01-01',
    '1000-01-01',
    '1899-12-31',
    '0000-01-01T00:00:00Z',
    '1000-06-15T12:00:00+02:00',
    '1900-01-01T00:30:00+01:00',
    '9999-12-31T23:59:59-23:59',
    '+275760-09-13T00:00:00Z',
    '2021-02-30',
    '2024-13-01',
    '\u0000',
  ],
  /** Valid dates, but never a trade's (trades lie in the past). */
  futureDate: ['9999-12-31', '9999-12-31T00:00:00Z', '3000-01-01'],
  /** Never a bigint (int8) value: past 2^63 − 1, negative, or not a whole number. */
  int8: ['9223372036854775808', '99999999999999999999', '18446744073709551616', '-1', '1.5', '1e3', '\u0000'],
  /** Never a valid id (uuid) of anything. */
  id: ['\u0000', 'not-a-uuid', '00000000-0000-0000-0000-00000000000g', "'; drop table users; --", ''],
} as const;

/** Base64url, as opaque cursors are written. */
function base64url(text: string): string {
  return Buffer.from(text).toString('base64url');
}

/** transactions.list cursors ("<instant>|<sequence>") that name no real position in the ledger. */
export const HOSTILE_LEDGER_CURSORS = [
  base64url('2024-01-01T00:00:00.000Z|99999999999999999999'),
  base64url('2024-01-01T00:00:00.000Z|9223372036854775808'),
  base64url('0000-01-01T00:00:00.000Z|1'),
  base64url('1000-01-01T00:00:00.000Z|1'),
  base64url('+275760-09-13T00:00:00.000Z|1'),
  base64url('not a date|1'),
  base64url('2024-01-01T00:00:00.000Z|1|2'),
  base64url('\u0000|1'),
];

/** Why an answer leaks what a client must never see, or undefined when it is clean. */
export function leakIn(status: number, body: string): string | undefined {
  if (status >= 500) return `status ${status}`;
  for (const [what, pattern] of LEAKS) if (pattern.test(body)) return what;
  return undefined;
}

const LEAKS: ReadonlyArray<readonly [string, RegExp]> = [
  // A reason (tRPC's data.reason, an OAuth error) that is a SQLSTATE such as 22P02 or 22021.
  ['a SQLSTATE', /"(?:reason|code|error)":"(?=[0-9A-Z]*\d)[0-9A-Z]{5}"/],
  ['a driver message', /syntax error|invalid input syntax|invalid byte sequence|out of range for type/i],
  ['a relation or column name', /\b(?:relation|column) "[^"]*"/],
  ['a connection error', /ECONNREFUSED|ECONNRESET|ETIMEDOUT/],
  ['a stack trace', /\bat (?:[\w.<>$[\] ]+ \()?(?:file:\/\/)?\/[\w@/.+-]+:\d+/],
  ['a stack property', /"stack":/],
];

/** Runs `work` over `items` with at most `concurrency` at once; resolves when all are done. */
export async function runPooled<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

/** Counts answers by status, for the one-line summary a run prints. */
export function tallyStatuses(statuses: readonly number[]): string {
  const counts = new Map<number, number>();
  for (const s of statuses) counts.set(s, (counts.get(s) ?? 0) + 1);
  return [...counts]
    .sort(([a], [b]) => a - b)
    .map(([s, n]) => `${s}: ${n}`)
    .join(', ');
}
