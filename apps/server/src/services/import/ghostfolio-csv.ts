import { expandExponent } from './decimal-text';
import {
  fromGhostfolioActivity,
  GHOSTFOLIO_FIELD_OF_DRAFT,
  type GhostfolioActivity,
} from './ghostfolio-activity';
import type { ImportRowError, ParsedFile, ParsedRow } from './import-types';
import { inTurns } from './in-turns';
import { readCsv } from './read-csv';

/**
 * Ghostfolio's CSV import (Date,Code,DataSource,Currency,Price,Quantity,Action,Fee,Note), read as
 * Ghostfolio reads it: header names case-insensitive, each field taken from the first of several
 * accepted column names that has a value — so broker exports such as Interactive Brokers' flex query
 * (TradeDate, Symbol, CurrencyPrimary, TradePrice, Buy/Sell, IBCommission) import too. Without a
 * DataSource column, FEE/INTEREST/LIABILITY rows are MANUAL and the rest YAHOO, as in Ghostfolio.
 */
const COLUMNS = {
  date: ['date', 'tradedate'],
  symbol: ['code', 'symbol', 'ticker'],
  dataSource: ['datasource'],
  currency: ['ccy', 'currency', 'currencyprimary'],
  unitPrice: ['price', 'tradeprice', 'unitprice', 'value'],
  quantity: ['qty', 'quantity', 'shares', 'units'],
  type: ['action', 'buy/sell', 'type'],
  fee: ['commission', 'fee', 'ibcommission'],
  comment: ['comment', 'note'],
} as const;

type Field = keyof typeof COLUMNS;

const KNOWN_TYPES = new Set(['BUY', 'SELL', 'DIVIDEND', 'FEE', 'INTEREST', 'LIABILITY', 'ITEM']);
const NUMERIC: ReadonlySet<Field> = new Set(['unitPrice', 'quantity', 'fee']);
const REQUIRED: readonly Field[] = ['date', 'symbol', 'currency', 'unitPrice', 'quantity', 'type', 'fee'];

export async function parseGhostfolioCsv(content: string): Promise<ParsedFile> {
  const csv = await readCsv(content);
  const columnOf = (field: Field): string =>
    COLUMNS[field].find((c) => csv.ok && csv.header.includes(c)) ?? field;
  const draftColumns = Object.fromEntries(
    Object.entries(GHOSTFOLIO_FIELD_OF_DRAFT).map(([draftField, field]) => [draftField, columnOf(field)]),
  );
  if (!csv.ok) return { rows: [], errors: [csv.error], columnOf: draftColumns };
  const absent = REQUIRED.filter((f) => !COLUMNS[f].some((c) => csv.header.includes(c)));
  if (absent.length > 0) {
    const names = absent.map((f) => COLUMNS[f].join(' or '));
    return {
      rows: [],
      errors: [{ row: 1, message: `missing columns: ${names.join('; ')}` }],
      columnOf: draftColumns,
    };
  }

  const rows: ParsedRow[] = [];
  const errors: ImportRowError[] = [];
  await inTurns(csv.records, ({ row, cells }) => {
    const value = (field: Field): string | undefined => {
      for (const column of COLUMNS[field]) {
        const text = cells[column];
        if (text === undefined || text === '') continue;
        if (field === 'type' && !KNOWN_TYPES.has(text.toUpperCase())) continue;
        return NUMERIC.has(field) ? expandExponent(text) : text;
      }
      return undefined;
    };
    const missing = (['date', 'symbol', 'currency', 'type'] as const).find((f) => value(f) === undefined);
    if (missing) {
      errors.push({ row, field: columnOf(missing), message: 'missing' });
      return;
    }
    const type = value('type')!.toUpperCase();
    const activity: GhostfolioActivity = {
      row,
      type,
      date: value('date')!,
      symbol: value('symbol'),
      dataSource:
        value('dataSource') ?? (['FEE', 'INTEREST', 'LIABILITY'].includes(type) ? 'MANUAL' : 'YAHOO'),
      currency: value('currency'),
      quantity: value('quantity') ?? '0',
      unitPrice: value('unitPrice') ?? '0',
      fee: value('fee') ?? '0',
      comment: value('comment'),
    };
    const parsed = fromGhostfolioActivity(activity);
    if ('instrument' in parsed) rows.push(parsed);
    else errors.push(parsed.field ? { ...parsed, field: columnOf(parsed.field as Field) } : parsed);
  });
  return { rows, errors, columnOf: draftColumns };
}
