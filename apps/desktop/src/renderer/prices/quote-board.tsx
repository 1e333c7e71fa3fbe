import { memo, useEffect, useMemo, useRef, useState } from 'react';
import type { HeldInstrument, PricesFrame } from '../api/types';
import { useDesk } from '../desk-context';
import { formatAge } from '../format/age';
import { formatAtPlaces, formatPlain, placesIn, signOf } from '../format/decimal-text';
import { WIDE_STREAM_FRAME_MS } from '../live/frame-interval';
import { Percent } from '../ui/money';
import { TableHead } from '../ui/table-head';
import { describeError, useQuery } from '../ui/use-query';
import { applyPricesFrame, type BoardQuote, quoteFromApi } from './quote-model';

/** prices.live takes at most 200 instruments a subscription, instruments.quote 100 a call. */
const LIVE_CHUNK = 200;
const QUOTE_CHUNK = 100;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const ASSET_CLASS_NAMES: Record<string, string> = { stock: 'Stock', etf: 'ETF', mutual_fund: 'Fund' };

/** How long a moved price stays tinted at most (until the next frame, as in the book). */
const TINT_MS = 600;
const NONE: ReadonlySet<string> = new Set();

/** The instruments the book holds, with their newest prices, live from prices.live. */
export function QuoteBoard(props: { now: number }) {
  const { api, live, session } = useDesk();
  const [filter, setFilter] = useState('');
  const instruments = useQuery('book-instruments', () => api.advisor.instruments.query());
  const ids = useMemo(() => (instruments.data ?? []).map((i) => i.id), [instruments.data]);
  // The board as last drawn, for the frame handlers: a frame's tints compare it with the new one.
  const held = useRef<Map<string, BoardQuote>>(new Map());
  const [board, setBoard] = useState(held.current);
  /** The instruments whose price moved in the newest frame: tinted until the next frame or TINT_MS. */
  const [tinted, setTinted] = useState(NONE);
  const [error, setError] = useState<Error | null>(null);

  useEffect(() => {
    if (ids.length === 0) return;
    let cancelled = false;
    let untint: ReturnType<typeof setTimeout> | undefined;
    const show = (next: Map<string, BoardQuote>) => {
      held.current = next;
      setBoard(next);
    };
    Promise.all(
      chunks(ids, QUOTE_CHUNK).map((part) => api.instruments.quote.query({ instrumentIds: part })),
    ).then(
      (answers) => {
        if (cancelled) return;
        const next = new Map(held.current);
        for (const q of answers.flatMap((a) => a.quotes))
          if (!next.has(q.instrumentId)) next.set(q.instrumentId, quoteFromApi(q));
        show(next);
      },
      (failure: Error) => !cancelled && setError(failure),
    );
    const stops = chunks(ids, LIVE_CHUNK).map((part) =>
      live.subscribe<PricesFrame>(
        (client, lastEventId, handlers) =>
          client.prices.live.subscribe(
            { instrumentIds: part, frameMs: WIDE_STREAM_FRAME_MS, ...(lastEventId ? { lastEventId } : {}) },
            handlers,
          ),
        (frame) => {
          const before = held.current;
          const next = applyPricesFrame(before, frame);
          show(next);
          // A static tint changed with the frames, cleared all at once, as the book's: an animation per
          // price would restyle it on the main thread at every screen refresh. (With more than one
          // subscription, a frame's tints replace the other's.)
          const moved = frame.prices
            .map((p) => p.instrumentId)
            .filter((id) => next.get(id)?.moves !== before.get(id)?.moves);
          setTinted(new Set(moved));
          clearTimeout(untint);
          untint = setTimeout(() => setTinted(NONE), TINT_MS);
        },
        setError,
      ),
    );
    return () => {
      cancelled = true;
      clearTimeout(untint);
      for (const stop of stops) stop();
    };
  }, [api, live, ids]);

  const words = filter.trim().toLowerCase();
  const shown = (instruments.data ?? []).filter(
    (i) => !words || `${i.symbol} ${i.name}`.toLowerCase().includes(words),
  );
  const failure = instruments.error ?? error;
  return (
    <main className="prices" data-testid="quote-board">
      <section className="book-head">
        <div className="aum">
          <span className="label">Quote board</span>
          <span className="muted">{ids.length} instruments held in your book</span>
        </div>
        <div className="book-tools">
          <input
            type="search"
            className="search"
            placeholder="Filter symbols"
            aria-label="Filter symbols"
            value={filter}
            onChange={(e) => setFilter(e.target.value)}
          />
        </div>
      </section>
      {failure && <p className="error-bar">{describeError(failure, session.serverUrl)}</p>}
      <div className="quote-scroll">
        <table className="data quotes">
          <TableHead
            text={['Symbol', 'Name', 'Type']}
            figures={['Last', 'Change', 'Change %', 'Prev. close', 'Updated']}
          />
          <tbody>
            {shown.map((i) => {
              const q = board.get(i.id);
              return (
                <QuoteRow
                  key={i.id}
                  instrument={i}
                  quote={q}
                  tinted={tinted.has(i.id)}
                  age={q ? formatAge(props.now - Date.parse(q.asOf)) : '–'}
                />
              );
            })}
          </tbody>
        </table>
      </div>
    </main>
  );
}

/**
 * One instrument's line. Memoized: a frame replaces only the quotes that moved (applyPricesFrame keeps
 * the others), so only their rows are drawn again; a moved price is tinted while `tinted`.
 */
const QuoteRow = memo(function QuoteRow(props: {
  instrument: HeldInstrument;
  quote: BoardQuote | undefined;
  tinted: boolean;
  age: string;
}) {
  const { instrument: i, quote: q } = props;
  const change = signOf(q?.change ?? null);
  const flash = !props.tinted || !q || q.moved === 0 ? '' : q.moved > 0 ? 'tick-up' : 'tick-down';
  return (
    <tr data-instrument-id={i.id}>
      <td className="strong">{i.symbol}</td>
      <td className="ellipsis">{i.name}</td>
      <td className="muted">{ASSET_CLASS_NAMES[i.assetClass] ?? i.assetClass}</td>
      <td className="right num">
        <span className={flash}>
          {q ? formatPlain(q.price) : '–'}
          <span className="ccy"> {q?.currency ?? i.currency}</span>
        </span>
      </td>
      <td className="right num">
        <span className={change > 0 ? 'up' : change < 0 ? 'down' : ''}>
          {q?.change ? formatAtPlaces(q.change, Math.max(2, placesIn(q.price)), { signed: true }) : '–'}
        </span>
      </td>
      <td className="right">
        <Percent value={q?.changePercent ?? null} />
      </td>
      <td className="right num muted">{q?.previousClose ? formatPlain(q.previousClose) : '–'}</td>
      <td className="right num muted">{props.age}</td>
    </tr>
  );
});
