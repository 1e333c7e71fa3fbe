import { getCoreRowModel, type SortingState, useReactTable } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { type KeyboardEvent, memo, useEffect, useMemo, useRef, useState } from 'react';
import { useBook, useDesk } from '../desk-context';
import { formatAge } from '../format/age';
import { formatAmount, formatPercent } from '../format/decimal-text';
import { Money, Percent } from '../ui/money';
import { navigate } from '../ui/route';
import { describeError } from '../ui/use-query';
import { bookColumns, firstSortDescending } from './book-columns';
import { type BookColumn, type BookRow, shareOfBook, shownTotals } from './book-model';
import { createBookOrder } from './book-order';

const ROW_HEIGHT = 28;

/**
 * Every assigned client, live. Rows are virtualized (only those in view are in the DOM), so a book of
 * a thousand clients costs the same to render as a screenful. Keyboard: ↑/↓ (and PgUp/PgDn, Home/End)
 * move, Enter opens, `/` or Ctrl-K searches, Esc leaves the search.
 */
export function BookScreen(props: { now: number }) {
  const { session } = useDesk();
  const snapshot = useBook();
  const [query, setQuery] = useState('');
  const [sorting, setSorting] = useState<SortingState>([{ id: 'value', desc: true }]);
  const [selected, setSelected] = useState(0);
  const search = useRef<HTMLInputElement>(null);
  const scroller = useRef<HTMLDivElement>(null);
  const sort = { column: (sorting[0]?.id ?? 'value') as BookColumn, descending: sorting[0]?.desc ?? true };

  // The order is kept across renders and moved row by row as frames replace rows (book-order.ts).
  const [order] = useState(createBookOrder);
  // biome-ignore lint/correctness/useExhaustiveDependencies: version stands for the book's contents.
  const rows = useMemo(
    () => order.rows(snapshot.book, query, sort, snapshot.totals.aumKey),
    [snapshot.version, query, sort.column, sort.descending],
  );

  const table = useReactTable({
    data: rows,
    columns: bookColumns,
    state: { sorting },
    onSortingChange: setSorting,
    manualSorting: true,
    enableSortingRemoval: false,
    sortDescFirst: true,
    getCoreRowModel: getCoreRowModel(),
    getRowId: (row) => row.clientId,
  });

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 4,
  });

  const index = Math.min(selected, Math.max(0, rows.length - 1));
  useEffect(() => {
    if (rows.length > 0) virtualizer.scrollToIndex(index, { align: 'auto' });
  }, [index, rows.length, virtualizer]);

  // `/` or Ctrl-K (⌘K) focuses the search from anywhere on the book.
  useEffect(() => {
    const onKey = (event: globalThis.KeyboardEvent) => {
      const typing = event.target instanceof HTMLInputElement || event.target instanceof HTMLTextAreaElement;
      if (
        (event.key === '/' && !typing) ||
        (event.key.toLowerCase() === 'k' && (event.ctrlKey || event.metaKey))
      ) {
        event.preventDefault();
        search.current?.focus();
        search.current?.select();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const open = (row: BookRow | undefined) => row && navigate({ name: 'client', clientId: row.clientId });

  function onGridKey(event: KeyboardEvent) {
    const page = Math.max(1, Math.floor((scroller.current?.clientHeight ?? 400) / ROW_HEIGHT) - 1);
    const moves: Record<string, number> = {
      ArrowDown: 1,
      ArrowUp: -1,
      PageDown: page,
      PageUp: -page,
      Home: -rows.length,
      End: rows.length,
    };
    const by = moves[event.key];
    if (by !== undefined) {
      event.preventDefault();
      setSelected(Math.max(0, Math.min(rows.length - 1, index + by)));
    } else if (event.key === 'Enter') {
      event.preventDefault();
      open(rows[index]);
    }
  }

  function onSearchKey(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === 'Escape') {
      event.preventDefault();
      if (query) setQuery('');
      else scroller.current?.focus();
    } else if (event.key === 'ArrowDown' || event.key === 'Enter') {
      event.preventDefault();
      setSelected(0);
      if (event.key === 'Enter' && rows.length === 1) open(rows[0]);
      else scroller.current?.focus();
    }
  }

  const totalClients = snapshot.book.size;
  const t = snapshot.totals;
  return (
    <main className="book">
      <section className="book-head" aria-label="Book totals">
        <div className="aum" data-testid="book-aum">
          <span className="label">AUM</span>
          {t.currency === null || t.clients === 0 ? (
            <span className="muted">–</span>
          ) : (
            <span className="aum-ccy" data-currency={t.currency}>
              <span className="num strong">
                {formatAmount(t.aum, t.currency)}
                <span className="ccy"> {t.currency}</span>
              </span>
              <span className="aum-day">
                <Money amount={t.dayChange} currency={t.currency} change />{' '}
                <Percent value={t.dayChangePercent} />
              </span>
            </span>
          )}
          {snapshot.loaded && t.notInView > 0 && (
            <span
              className="muted not-in-view-count"
              data-testid="book-not-in-view"
              title={`Clients that cannot be valued${t.currency ? ` in ${t.currency}` : ''} are left out of the AUM`}
            >
              {t.notInView} not in view
            </span>
          )}
        </div>
        <div className="book-tools">
          <input
            ref={search}
            type="search"
            className="search"
            placeholder="Search clients  ( / )"
            aria-label="Search clients"
            data-testid="book-search"
            value={query}
            onChange={(e) => {
              setQuery(e.target.value);
              setSelected(0);
            }}
            onKeyDown={onSearchKey}
          />
          <span className="muted count">
            {rows.length === totalClients
              ? `${totalClients} clients`
              : `${rows.length} of ${totalClients} clients`}
          </span>
        </div>
      </section>
      {snapshot.error && (
        <p className="error-bar" role="alert">
          {describeError(snapshot.error, session.serverUrl)}
        </p>
      )}
      <div className="grid">
        {/*
         * The scroll box takes focus and the arrow keys, and turns clicks on a row into a selection
         * (a double click opens); the rows themselves are plain table rows.
         */}
        {/* biome-ignore lint/a11y/noStaticElementInteractions: see above; the rows' links also open a client. */}
        <div
          className="grid-body"
          ref={scroller}
          // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard.
          tabIndex={0}
          onKeyDown={onGridKey}
          onClick={(event) => {
            const at = rowIndexOf(event.target);
            if (at !== undefined) setSelected(at);
          }}
          onDoubleClick={(event) => {
            const at = rowIndexOf(event.target);
            if (at !== undefined) open(rows[at]);
          }}
        >
          <table
            className="book-table"
            data-testid="book-table"
            aria-rowcount={rows.length + 1}
            aria-label="Clients"
          >
            <thead className="grid-head">
              <tr>
                {table.getHeaderGroups()[0]!.headers.map((header) => {
                  const id = header.column.id as BookColumn;
                  const state = header.column.getIsSorted();
                  const align = (header.column.columnDef.meta as { align: string }).align;
                  return (
                    <th
                      key={header.id}
                      scope="col"
                      className={`cell ${align}`}
                      aria-sort={state === 'asc' ? 'ascending' : state === 'desc' ? 'descending' : 'none'}
                    >
                      <button
                        type="button"
                        className="sort"
                        onClick={() =>
                          setSorting([{ id, desc: state ? state === 'asc' : firstSortDescending(id) }])
                        }
                      >
                        {header.column.columnDef.header as string}
                        <span className="arrow" aria-hidden="true">
                          {state === 'asc' ? '▲' : state === 'desc' ? '▼' : ''}
                        </span>
                      </button>
                    </th>
                  );
                })}
              </tr>
            </thead>
            <tbody style={{ height: virtualizer.getTotalSize() }}>
              {virtualizer.getVirtualItems().map((item) => {
                const row = rows[item.index]!;
                return (
                  <BookRowView
                    key={row.clientId}
                    row={row}
                    top={item.start}
                    index={item.index}
                    selected={item.index === index}
                    share={shareOfBook(row, t.aumKey)}
                    age={row.asOf ? formatAge(props.now - Date.parse(row.asOf)) : '–'}
                  />
                );
              })}
            </tbody>
          </table>
          {!snapshot.loaded && !snapshot.error && <p className="empty">Loading your book…</p>}
          {snapshot.loaded && rows.length === 0 && (
            <p className="empty">
              {totalClients === 0 ? 'No clients are assigned to you yet.' : 'No client matches the search.'}
            </p>
          )}
        </div>
      </div>
    </main>
  );
}

/** The index of the book row an event happened in, from its data-index. */
function rowIndexOf(target: EventTarget): number | undefined {
  const row = (target as Element).closest?.('tr[data-index]');
  return row ? Number(row.getAttribute('data-index')) : undefined;
}

/** One client's line; re-renders only when its row, selection, share or age text changes. */
const BookRowView = memo(function BookRowView(props: {
  row: BookRow;
  top: number;
  index: number;
  selected: boolean;
  share: string | null;
  age: string;
}) {
  const { row } = props;
  // The view currency's totals; a client with none there shows its own, set apart (greyed, and
  // left out of the AUM and the shares).
  const t = shownTotals(row);
  const currency = t?.currency ?? row.currency;
  const apart = row.inView === null && row.totals !== null;
  // Each move replays the flash: consecutive moves alternate between two animations of the same look,
  // and a changed animation starts over, so the figure's element stays (no remount per move).
  const flash =
    row.moves === 0 || row.moved === 0
      ? ''
      : `${row.moved > 0 ? 'flash-up' : 'flash-down'}${row.moves % 2 === 0 ? ' again' : ''}`;
  return (
    <tr
      aria-rowindex={props.index + 2}
      aria-current={props.selected ? 'true' : undefined}
      className={`grid-row${props.selected ? ' selected' : ''}${apart ? ' not-in-view' : ''}`}
      title={apart ? `No exchange rate to the book's currency: shown in ${currency}` : undefined}
      style={{ transform: `translateY(${props.top}px)`, height: ROW_HEIGHT }}
      data-index={props.index}
      data-testid="book-row"
      data-owner-id={row.clientId}
    >
      <td className="cell left name">
        <a href={`#/client/${encodeURIComponent(row.clientId)}`} tabIndex={-1}>
          {row.name}
        </a>
        <span className="muted email">{row.email}</span>
      </td>
      <td className="cell right" data-testid="client-total">
        <span className={flash}>
          <Money amount={t?.marketValue ?? null} currency={currency} />
        </span>
      </td>
      <td className="cell right">
        <Money amount={t?.dayChange ?? null} currency={currency} change={!apart} />
      </td>
      <td className="cell right">
        <Percent value={t?.dayChangePercent ?? null} />
      </td>
      <td className="cell right">
        <Money amount={t?.unrealizedGain ?? null} currency={currency} change={!apart} />
      </td>
      <td className="cell right num">{formatPercent(props.share, { signed: false })}</td>
      <td className="cell right muted num">{props.age}</td>
    </tr>
  );
});
