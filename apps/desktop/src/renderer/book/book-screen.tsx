import {
  type KeyboardEvent,
  memo,
  startTransition,
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
} from 'react';
import { useBook, useDesk } from '../desk-context';
import { formatAge } from '../format/age';
import { formatAmount } from '../format/decimal-text';
import { Money, Percent } from '../ui/money';
import { navigate } from '../ui/route';
import { describeError } from '../ui/use-query';
import { bookColumns, firstSortDescending } from './book-columns';
import type { BookWindow, FigureView, RowView } from './book-engine';
import { getCoreRowModel, type SortingState, useReactTable, useVirtualizer } from './book-libraries';
import type { BookColumn, BookRow } from './book-model';
import { type DrawnRow, sameRowView, stageRows } from './row-stages';

const ROW_HEIGHT = 28;

/**
 * Rows the book's worker sends beyond those in view, each way: a scroll or a page move draws from rows
 * at hand while the worker's answer for the new window is on its way.
 */
const MARGIN_ROWS = 40;

/** TanStack Table draws the headers and keeps the sort state; the rows come from the book's worker. */
const NO_ROWS: BookRow[] = [];

/**
 * Every assigned client, live. Rows are virtualized (only those in view are in the DOM), so a book of
 * a thousand clients costs the same to render as a screenful; the book itself (its frames, totals,
 * order and search) is kept in a worker that sends only the rows in and near view, as text
 * (live/book-store.ts). Keyboard: ↑/↓ (and PgUp/PgDn, Home/End) move, Enter opens, `/` or Ctrl-K
 * searches, Esc leaves the search.
 */
export function BookScreen(props: { now: number }) {
  const { session, book } = useDesk();
  const snapshot = useBook();
  const view = snapshot.view;
  const [query, setQuery] = useState('');
  const [sorting, setSorting] = useState<SortingState>([{ id: 'value', desc: true }]);
  const [selected, setSelected] = useState(0);
  const search = useRef<HTMLInputElement>(null);
  const scroller = useRef<HTMLDivElement>(null);
  const sort = { column: (sorting[0]?.id ?? 'value') as BookColumn, descending: sorting[0]?.desc ?? true };
  const count = view.count;
  // Whether the view is for the search and sort on screen (the worker's answer to a change is on its way).
  const current =
    view.query === query && view.sort.column === sort.column && view.sort.descending === sort.descending;
  const rowAt = (at: number): RowView | undefined => (current ? view.rows[at - view.start] : undefined);

  const table = useReactTable({
    data: NO_ROWS,
    columns: bookColumns,
    state: { sorting },
    onSortingChange: setSorting,
    manualSorting: true,
    enableSortingRemoval: false,
    sortDescFirst: true,
    getCoreRowModel: getCoreRowModel(),
  });

  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 4,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;

  // Asks the worker for the rows around those in view when the search, the sort or the rows in view
  // leave the window it was last asked for.
  const asked = useRef<BookWindow | null>(null);
  useEffect(() => {
    const held = asked.current;
    if (
      held &&
      held.query === query &&
      held.sort.column === sort.column &&
      held.sort.descending === sort.descending &&
      first >= held.start &&
      last < held.end
    ) {
      return;
    }
    const next = {
      query,
      sort: { column: sort.column, descending: sort.descending },
      start: Math.max(0, first - MARGIN_ROWS),
      end: Math.max(last + 1, first + 2 * MARGIN_ROWS) + MARGIN_ROWS,
    };
    asked.current = next;
    book.setWindow(next);
  }, [book, query, sort.column, sort.descending, first, last]);

  // The rows in view as the worker last sent them, drawn eight new or changed rows per commit at most
  // (row-stages.ts): the rest keep what they drew, or wait, and follow in the next animation frames.
  const drawn = useRef<ReadonlyMap<string, DrawnRow>>(new Map());
  const placed = items.flatMap((item) => {
    // A row outside the rows at hand (a long jump, before the worker's answer) waits a frame.
    const row = view.rows[item.index - view.start];
    return row ? [{ item, row, age: row.asOf ? formatAge(props.now - Date.parse(row.asOf)) : '–' }] : [];
  });
  const staged = stageRows(placed, drawn.current);
  useLayoutEffect(() => {
    drawn.current = new Map(staged.rows.flatMap((r) => (r ? [[r.row.clientId, r]] : [])));
  });
  const [, setStage] = useState(0);
  useEffect(() => {
    if (!staged.pending) return;
    const next = requestAnimationFrame(() => startTransition(() => setStage((stage) => stage + 1)));
    return () => cancelAnimationFrame(next);
  });

  const index = Math.min(selected, Math.max(0, count - 1));
  useEffect(() => {
    if (count > 0) virtualizer.scrollToIndex(index, { align: 'auto' });
  }, [index, count, virtualizer]);

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

  const open = (row: RowView | undefined) => row && navigate({ name: 'client', clientId: row.clientId });

  function onGridKey(event: KeyboardEvent) {
    const page = Math.max(1, Math.floor((scroller.current?.clientHeight ?? 400) / ROW_HEIGHT) - 1);
    const moves: Record<string, number> = {
      ArrowDown: 1,
      ArrowUp: -1,
      PageDown: page,
      PageUp: -page,
      Home: -count,
      End: count,
    };
    const by = moves[event.key];
    if (by !== undefined) {
      event.preventDefault();
      setSelected(Math.max(0, Math.min(count - 1, index + by)));
    } else if (event.key === 'Enter') {
      event.preventDefault();
      open(rowAt(index));
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
      if (event.key === 'Enter' && current && count === 1) open(rowAt(0));
      else scroller.current?.focus();
    }
  }

  const totalClients = view.size;
  const t = view.totals;
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
            {count === totalClients ? `${totalClients} clients` : `${count} of ${totalClients} clients`}
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
            if (at !== undefined) open(rowAt(at));
          }}
        >
          <table
            className="book-table"
            data-testid="book-table"
            aria-rowcount={count + 1}
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
              {staged.rows.map((drawnRow, at) => {
                // A row not drawn yet waits for a later commit (row-stages.ts).
                if (!drawnRow) return null;
                const { row, age } = drawnRow;
                const { item } = placed[at]!;
                return (
                  <BookRowView
                    key={row.clientId}
                    row={row}
                    top={item.start}
                    index={item.index}
                    selected={item.index === index}
                    age={age}
                  />
                );
              })}
            </tbody>
          </table>
          {!snapshot.loaded && !snapshot.error && <p className="empty">Loading your book…</p>}
          {snapshot.loaded && count === 0 && (
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

/**
 * A figure as the worker formatted it: right-aligned, coloured by its sign, with its currency, and
 * tinted (`flash`) when the newest frame moved it — on its own element, not a wrapper: each element of
 * a row is styled, laid out and painted again whenever the row changes, which it does on every frame.
 */
function Figure(props: { figure: FigureView | null; currency: string; flash?: string }) {
  const { figure } = props;
  if (!figure) return <span className="num muted">–</span>;
  return (
    <span className={`num ${signClass(figure.sign)}${props.flash ? ` ${props.flash}` : ''}`}>
      {figure.text}
      <span className="ccy"> {props.currency}</span>
    </span>
  );
}

const signClass = (sign: -1 | 0 | 1) => (sign > 0 ? 'up' : sign < 0 ? 'down' : '');

interface RowProps {
  row: RowView;
  top: number;
  index: number;
  selected: boolean;
  age: string;
}

/**
 * Whether a row would draw the same: every view brings new row objects (they cross from the worker),
 * so rows compare by what they show, and a row whose figures did not move is not drawn again.
 */
function sameRow(a: Readonly<RowProps>, b: Readonly<RowProps>): boolean {
  return (
    a.top === b.top &&
    a.index === b.index &&
    a.selected === b.selected &&
    a.age === b.age &&
    sameRowView(a.row, b.row)
  );
}

/** One client's line; re-renders only when what it shows changes. */
const BookRowView = memo(function BookRowView(props: RowProps) {
  const { row } = props;
  // A client with no rate to the view currency shows its own totals, set apart (greyed, and left out
  // of the AUM and the shares).
  const { apart, currency } = row;
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
        <Figure figure={row.value} currency={currency} flash={row.flash} />
      </td>
      <td className="cell right">
        <Figure figure={row.dayChange} currency={currency} />
      </td>
      <td className="cell right">
        <span className={`num ${signClass(row.dayChangePercent.sign)}`}>{row.dayChangePercent.text}</span>
      </td>
      <td className="cell right">
        <Figure figure={row.gain} currency={currency} />
      </td>
      <td className="cell right num">{row.share}</td>
      <td className="cell right muted num">{props.age}</td>
    </tr>
  );
}, sameRow);
