import { DecimalFormatError, PRICE_SCALE, parseDecimal } from '@tickfolio/core';
import { ResponseFormatError } from '../resilience/source-errors';
import { isoDateFromDayMonthName } from './exchange-time';
import { withoutDoubleNoise } from './price-text';

/**
 * AMFI's NAVAll.txt: every Indian mutual-fund scheme's latest NAV, semicolon-separated, CRLF, with
 * section lines (scheme category, fund house) and blank lines (often a single space) between them.
 * Two layouts, told apart by the header line:
 * - 6 columns: Scheme Code;ISIN Div Payout/ ISIN Growth;ISIN Div Reinvestment;Scheme Name;Net Asset Value;Date
 * - 8 columns (since 19-Aug-2026): … Scheme Name;Plan;Option;Net Asset Value;Date
 */

export type AmfiFormat = '6-column' | '8-column';

export interface AmfiNavRow {
  readonly schemeCode: string;
  readonly isinGrowth: string | undefined;
  readonly isinReinvestment: string | undefined;
  readonly schemeName: string;
  readonly plan: string | undefined;
  readonly option: string | undefined;
  /** Units at PRICE_SCALE; undefined when the file says N.A. or anything that is not a number. */
  readonly nav: bigint | undefined;
  readonly navText: string;
  /** YYYY-MM-DD */
  readonly date: string;
}

export interface AmfiNavFile {
  readonly format: AmfiFormat;
  readonly rows: ReadonlyMap<string, AmfiNavRow>;
  /** Lines with semicolons that are not a readable row (wrong column count, bad code or date, cut off). */
  readonly malformedLines: number;
}

const HEADERS: Record<AmfiFormat, readonly string[]> = {
  '6-column': [
    'scheme code',
    'isin div payout/ isin growth',
    'isin div reinvestment',
    'scheme name',
    'net asset value',
    'date',
  ],
  '8-column': [
    'scheme code',
    'isin div payout/ isin growth',
    'isin div reinvestment',
    'scheme name',
    'plan',
    'option',
    'net asset value',
    'date',
  ],
};

const normalise = (cell: string) => cell.trim().replace(/\s+/g, ' ').toLowerCase();

function detectFormat(line: string): AmfiFormat | undefined {
  const cells = line.split(';').map(normalise);
  for (const format of Object.keys(HEADERS) as AmfiFormat[]) {
    const header = HEADERS[format];
    if (cells.length === header.length && cells.every((c, i) => c === header[i])) return format;
  }
  return undefined;
}

const isin = (cell: string) => (/^[A-Z]{2}[A-Z0-9]{9}\d$/.test(cell.trim()) ? cell.trim() : undefined);

function readNav(text: string): bigint | undefined {
  try {
    // As quoted (see ./price-text): a NAV printed from a double ("45.123000000000005") is 45.123.
    return parseDecimal(withoutDoubleNoise(text), PRICE_SCALE);
  } catch (e) {
    if (e instanceof DecimalFormatError) return undefined;
    throw e;
  }
}

export function parseAmfiNavFile(text: string): AmfiNavFile {
  const lines = text.split(/\r?\n/);
  let format: AmfiFormat | undefined;
  const rows = new Map<string, AmfiNavRow>();
  let malformedLines = 0;
  for (const line of lines) {
    if (line.trim() === '') continue;
    if (format === undefined) {
      format = detectFormat(line);
      if (format === undefined) throw new ResponseFormatError('NAVAll.txt: unrecognised header line');
      continue;
    }
    // Section lines (categories, fund houses) have no semicolons.
    if (!line.includes(';')) continue;
    if (detectFormat(line) !== undefined) continue;
    const cells = line.split(';');
    if (cells.length !== HEADERS[format].length) {
      malformedLines++;
      continue;
    }
    const eight = format === '8-column';
    const [code = '', growth = '', reinvestment = '', name = ''] = cells;
    const navText = (cells[eight ? 6 : 4] ?? '').trim();
    const date = isoDateFromDayMonthName(cells[eight ? 7 : 5] ?? '');
    if (!/^\d+$/.test(code.trim()) || date === undefined) {
      malformedLines++;
      continue;
    }
    rows.set(code.trim(), {
      schemeCode: code.trim(),
      isinGrowth: isin(growth),
      isinReinvestment: isin(reinvestment),
      schemeName: name.trim(),
      plan: eight ? cells[4]?.trim() : undefined,
      option: eight ? cells[5]?.trim() : undefined,
      nav: readNav(navText),
      navText,
      date,
    });
  }
  if (format === undefined) throw new ResponseFormatError('NAVAll.txt: empty file');
  return { format, rows, malformedLines };
}
