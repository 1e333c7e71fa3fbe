import type { ImportRowError, ParsedFile, ParsedRow } from './import-types';
import { inTurns } from './in-turns';
import { readCsv } from './read-csv';

/**
 * Tickfolio's own CSV format. One header row naming these columns, in any order, each exactly once:
 *
 *   date,type,symbol,quantity,price,fee,amount,currency,note
 *
 * - date: YYYY-MM-DD (midnight UTC) or an ISO 8601 instant with offset (2024-01-15T14:30:00Z), from
 *   1900-01-01 and no later than a day past the server's clock.
 * - type: buy, sell, dividend, split, fee, deposit, withdrawal, interest, transfer_in, transfer_out.
 * - symbol: the instrument's Tickfolio symbol (MSFT, SAP.DE, PPFCF); an ISIN also works. Empty for
 *   cash rows (deposit, withdrawal, interest, an account fee).
 * - quantity, price, fee, amount: plain decimals with a '.' point, no thousands separators or
 *   exponents; up to 8 decimal places and 15 digits before the point. Empty when the type does not use
 *   them (as for transactions.add).
 *   A split writes its ratio in quantity as FROM:TO (1:10 — one old share becomes ten).
 * - currency: ISO 4217 code; the instrument's trading currency for instrument rows.
 * - note: free text, optional (at most 500 characters; no control characters but tabs and line breaks).
 *
 * Example:
 *   date,type,symbol,quantity,price,fee,amount,currency,note
 *   2024-01-15,buy,MSFT,10,401.25,1.50,,USD,first lot
 *   2024-03-14,dividend,MSFT,,,,7.50,USD,
 *   2024-06-10,split,NVDA,1:10,,,,USD,
 *   2024-07-01,deposit,,,,,1000,EUR,
 */
export const TICKFOLIO_CSV_COLUMNS = [
  'date',
  'type',
  'symbol',
  'quantity',
  'price',
  'fee',
  'amount',
  'currency',
  'note',
] as const;

const SPLIT_RATIO = /^(\d{1,7}):(\d{1,7})$/;

const COLUMN_OF: Record<string, string> = {
  tradeDate: 'date',
  instrumentId: 'symbol',
  splitFrom: 'quantity',
  splitTo: 'quantity',
};

export async function parseTickfolioCsv(content: string): Promise<ParsedFile> {
  const csv = await readCsv(content);
  if (!csv.ok) return { rows: [], errors: [csv.error], columnOf: COLUMN_OF };
  const missing = TICKFOLIO_CSV_COLUMNS.filter((c) => !csv.header.includes(c));
  const extra = csv.header.filter((c) => !(TICKFOLIO_CSV_COLUMNS as readonly string[]).includes(c));
  if (missing.length > 0 || extra.length > 0) {
    const problems = [
      ...(missing.length > 0 ? [`missing ${missing.join(', ')}`] : []),
      ...(extra.length > 0 ? [`unknown ${extra.join(', ')}`] : []),
    ];
    return {
      rows: [],
      errors: [
        { row: 1, message: `header must be ${TICKFOLIO_CSV_COLUMNS.join(',')} (${problems.join('; ')})` },
      ],
      columnOf: COLUMN_OF,
    };
  }
  const rows: ParsedRow[] = [];
  const errors: ImportRowError[] = [];
  await inTurns(csv.records, ({ row, cells }) => {
    const cell = (name: string) => (cells[name] === '' ? undefined : cells[name]);
    const type = cell('type')?.toLowerCase();
    let quantity: string | undefined = cell('quantity');
    let split: { splitFrom?: number; splitTo?: number } = {};
    if (type === 'split') {
      const ratio = quantity === undefined ? null : SPLIT_RATIO.exec(quantity);
      if (!ratio) {
        errors.push({
          row,
          field: 'quantity',
          message: 'a split writes its ratio in quantity as FROM:TO, e.g. 1:10',
        });
        return;
      }
      split = { splitFrom: Number(ratio[1]), splitTo: Number(ratio[2]) };
      quantity = undefined;
    }
    const symbol = cell('symbol');
    rows.push({
      row,
      instrument: symbol === undefined ? null : { code: symbol },
      draft: {
        type,
        tradeDate: cell('date'),
        quantity,
        price: cell('price'),
        fee: cell('fee'),
        amount: cell('amount'),
        currency: cell('currency')?.toUpperCase(),
        note: cell('note'),
        ...split,
      },
    });
  });
  return { rows, errors, columnOf: COLUMN_OF };
}
