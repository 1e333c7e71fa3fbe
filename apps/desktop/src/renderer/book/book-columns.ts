import { type ColumnDef, createColumnHelper } from './book-libraries';
import type { BookColumn, BookRow } from './book-model';

const column = createColumnHelper<BookRow>();

/**
 * The book's columns, for TanStack Table's headers and sort state. Sorting itself is the book model's
 * (manualSorting): it compares exact BigInt keys and knows which columns are money in a currency.
 */
export const bookColumns: ColumnDef<BookRow, unknown>[] = (
  [
    ['name', 'Client', 'left'],
    ['value', 'Total value', 'right'],
    ['dayChange', 'Day change', 'right'],
    ['dayChangePercent', 'Day %', 'right'],
    ['gain', 'Unrealized gain', 'right'],
    ['share', 'Share', 'right'],
    ['age', 'Updated', 'right'],
  ] as const satisfies readonly (readonly [BookColumn, string, 'left' | 'right'])[]
).map(([id, header, align]) =>
  column.display({ id, header, meta: { align }, enableSorting: true }),
) as ColumnDef<BookRow, unknown>[];

/** First click on a figure sorts it largest first; on the name, A to Z. */
export function firstSortDescending(id: BookColumn): boolean {
  return id !== 'name';
}
