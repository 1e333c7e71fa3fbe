import { type Book, type BookRow, type BookSort, filterRows, rowOrder, shareKeys } from './book-model';

/**
 * The book's rows in screen order, kept up to date incrementally. A live frame replaces a handful of
 * rows; sorting all thousand again for each would cost the main thread far more than the frame, so
 * each replaced row is taken out of its place and put back where it now belongs, both found by binary
 * search in the sorted rows. The order is total (rowOrder), so the result is the same as a full sort.
 *
 * It finds the replaced rows itself by comparing each row in the book with the one it placed (rows are
 * replaced, never mutated), so it needs no list of changes and cannot miss one.
 */
export function createBookOrder() {
  let sorted: BookRow[] = [];
  let placed = new Map<string, BookRow>();
  let source: Book | undefined;
  let sortKey = '';

  function rebuild(book: Book, sort: BookSort, aum: bigint): void {
    const shares = sort.column === 'share' ? shareKeys(book.values(), aum) : undefined;
    sorted = [...book.values()].sort(rowOrder(sort, shares));
    placed = new Map(book);
  }

  /** The index of the first row that does not sort before `row`. */
  function placeOf(row: BookRow, order: (a: BookRow, b: BookRow) => number): number {
    let low = 0;
    let high = sorted.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (order(sorted[middle]!, row) < 0) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  function update(book: Book, sort: BookSort): void {
    const order = rowOrder(sort);
    const changed: BookRow[] = [];
    for (const row of book.values()) if (placed.get(row.clientId) !== row) changed.push(row);
    // Past a quarter of the book, moving rows one by one costs more than sorting them all; and the
    // rows in their last order are nearly sorted still, which the engine's merge sort (TimSort) puts
    // right in little more than one comparison a row.
    if (changed.length * 4 > book.size) {
      sorted = sorted.map((row) => book.get(row.clientId)!);
      for (const row of changed) if (!placed.has(row.clientId)) sorted.push(row);
      sorted.sort(order);
      placed = new Map(book);
      return;
    }
    for (const row of changed) {
      const held = placed.get(row.clientId);
      if (held) {
        let at = placeOf(held, order);
        if (sorted[at] !== held) at = sorted.indexOf(held);
        sorted.splice(at, 1);
      }
      sorted.splice(placeOf(row, order), 0, row);
      placed.set(row.clientId, row);
    }
  }

  return {
    /**
     * The rows shown: the book filtered by the query, in the sort's order; a new array whenever asked,
     * so React sees a change. Shares move with the AUM on every frame, so sorting by share sorts again.
     */
    rows(book: Book, query: string, sort: BookSort, aum: bigint): BookRow[] {
      const key = `${sort.column}:${sort.descending}`;
      if (book !== source || key !== sortKey || sort.column === 'share' || placed.size > book.size) {
        rebuild(book, sort, aum);
      } else {
        update(book, sort);
      }
      source = book;
      sortKey = key;
      return filterRows(sorted, query);
    },
  };
}
