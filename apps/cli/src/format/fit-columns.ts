import { displayWidth } from './width';

/** What the fitting needs to know of a column. */
export interface FitColumn {
  readonly header: string;
  /** A shorter header, used once the full headers no longer fit. */
  readonly short?: string | undefined;
  /**
   * When the table is too wide, columns with a drop rank go, highest rank first; a column without
   * one always stays (the row's key and its main amount).
   */
  readonly drop?: number | undefined;
  /**
   * Cells of this column (names, emails) may be cut with an ellipsis, down to this many columns.
   * Other cells (amounts, ids) are never cut: a cut amount would be a wrong amount.
   */
  readonly shrinkTo?: number | undefined;
}

export interface FittedColumns {
  /** Indexes of the columns shown, in their order. */
  readonly shown: readonly number[];
  /** Width of each shown column (same order as `shown`). */
  readonly widths: readonly number[];
  /** Header of each shown column, full or short. */
  readonly headers: readonly string[];
}

/**
 * Lays out columns in `width` terminal columns with `gap` spaces between them, giving up what matters
 * least first: full headers (for short ones), then width of the names (cut with an ellipsis, down to
 * their minimum), then whole columns by drop rank. Cells are never merged: every shown column keeps
 * its gap. If even the columns that cannot go do not fit, the rest is left for the line to be cut.
 *
 * `cellWidths[c]` are the display widths of column c's cells.
 */
export function fitColumns(
  columns: readonly FitColumn[],
  cellWidths: readonly (readonly number[])[],
  width: number,
  gap: number,
): FittedColumns {
  const natural = columns.map((_, c) => Math.max(0, ...(cellWidths[c] ?? [])));
  let shown = columns.map((_, c) => c);
  for (;;) {
    const attempt = fitShown(columns, natural, shown, width, gap);
    if (attempt.fits) return attempt.layout;
    const candidates = shown.filter((c) => columns[c]!.drop !== undefined);
    if (candidates.length === 0) return attempt.layout;
    const next = candidates.reduce((a, b) => (columns[b]!.drop! > columns[a]!.drop! ? b : a));
    shown = shown.filter((c) => c !== next);
  }
}

function fitShown(
  columns: readonly FitColumn[],
  natural: readonly number[],
  shown: readonly number[],
  width: number,
  gap: number,
): { fits: boolean; layout: FittedColumns } {
  const total = (widths: readonly number[]) => widths.reduce((a, b) => a + b, 0) + gap * (widths.length - 1);
  const layout = (headers: readonly string[], widths: readonly number[]) => ({
    shown,
    widths,
    headers,
  });
  const withHeaders = (headers: readonly string[]) =>
    shown.map((c, i) => Math.max(natural[c]!, displayWidth(headers[i]!)));

  const full = shown.map((c) => columns[c]!.header);
  const fullWidths = withHeaders(full);
  if (total(fullWidths) <= width) return { fits: true, layout: layout(full, fullWidths) };

  const short = shown.map((c) => columns[c]!.short ?? columns[c]!.header);
  const widths = withHeaders(short);
  // Narrow the widest shrinkable column one step at a time, so names are cut evenly.
  let excess = total(widths) - width;
  while (excess > 0) {
    let widest = -1;
    for (let i = 0; i < shown.length; i++) {
      const column = columns[shown[i]!]!;
      const floor = Math.max(column.shrinkTo ?? Number.POSITIVE_INFINITY, displayWidth(short[i]!));
      if (widths[i]! > floor && (widest === -1 || widths[i]! > widths[widest]!)) widest = i;
    }
    if (widest === -1) break;
    widths[widest]! -= 1;
    excess -= 1;
  }
  return { fits: excess <= 0, layout: layout(short, widths) };
}

/** `text` cut to `width` display columns, ending with an ellipsis when anything was cut. */
export function truncateToWidth(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  if (width <= 0) return '';
  let out = '';
  let used = 0;
  for (const char of text) {
    const w = displayWidth(char);
    if (used + w > width - 1) break;
    out += char;
    used += w;
  }
  return `${out}…`;
}
