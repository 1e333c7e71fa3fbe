import type { PortfolioChangedEvent } from '@tickfolio/api';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { HistoryPoint } from '../api/types';
import { useDesk } from '../desk-context';
import { formatAge } from '../format/age';

/** "now", or "5s ago": an age reads as a phrase after "valued". */
const valuedAgo = (age: string) => (age === 'now' ? 'just now' : `${age} ago`);

import { formatAmount, formatPercent, formatPlain } from '../format/decimal-text';
import { Kpi } from '../ui/kpi';
import { Money, Percent } from '../ui/money';
import { navigate } from '../ui/route';
import { TableHead } from '../ui/table-head';
import { describeError, useQuery } from '../ui/use-query';
import { AddTransaction } from './add-transaction';
import { AllocationPanel } from './allocation-panel';
import { HISTORY_RANGES, type HistoryRange, rangeStart } from './history-range';
import { ImportFile } from './import-file';
import { TransactionsPanel } from './transactions-panel';
import { ValueChart } from './value-chart';

/** Holdings are re-read at most this often while prices move (totals and accounts arrive live). */
const HOLDINGS_REFRESH_MS = 3_000;
/** The most live values the chart keeps after the recorded history (an hour at one a second). */
const TRAIL_POINTS = 3_600;
/**
 * The most history pages (of 500 points each) the chart reads for one range: a point per day since the
 * first transaction (portfolio.history), so 20 pages hold 27 years for "All".
 */
const HISTORY_PAGES = 20;

/** Opens the report: Electron prints it to PDF; a browser opens its print dialog (print stylesheet). */
function exportReport(): void {
  if (window.tickfolio?.exportPdf) void window.tickfolio.exportPdf();
  else window.print();
}

/**
 * One client: live totals and accounts (portfolio.live with the client's owner id), holdings, value
 * over time, allocation and the ledger. Printing this screen is the client report.
 */
export function ClientScreen(props: { clientId: string; now: number }) {
  const { api, live, session } = useDesk();
  // Holdings are re-read when prices move; the ledger only when a transaction was added here.
  const [revision, setRevision] = useState(0);
  const [ledgerRevision, setLedgerRevision] = useState(0);
  const overview = useQuery(`${props.clientId}|${revision}`, () =>
    api.advisor.client.query({ clientId: props.clientId }),
  );
  const [liveTotals, setLiveTotals] = useState<PortfolioChangedEvent | null>(null);
  const [range, setRange] = useState<HistoryRange>('1M');
  // The form open under the header, if any: add a transaction, or import a file.
  const [form, setForm] = useState<'add' | 'import' | null>(null);
  const [liveError, setLiveError] = useState<Error | null>(null);
  // The values seen live since the screen opened: the chart's newest stretch, after the recorded history.
  const [trail, setTrail] = useState<HistoryPoint[]>([]);
  const refreshTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(() => {
    const stop = live.subscribe<PortfolioChangedEvent>(
      (client, lastEventId, handlers) =>
        client.portfolio.live.subscribe(
          { ownerId: props.clientId, ...(lastEventId ? { lastEventId } : {}) },
          handlers,
        ),
      (event) => {
        setLiveTotals(event);
        setLiveError(null);
        setTrail((t) =>
          [
            ...t,
            {
              takenAt: event.asOf,
              currency: event.totals.currency,
              marketValue: event.totals.marketValue,
              costBasis: event.totals.costBasis,
              dayChange: event.totals.dayChange,
            },
          ].slice(-TRAIL_POINTS),
        );
        // Holdings are not on the stream: re-read them, at most every few seconds while prices move.
        refreshTimer.current ??= setTimeout(() => {
          refreshTimer.current = undefined;
          setRevision((r) => r + 1);
        }, HOLDINGS_REFRESH_MS);
      },
      setLiveError,
    );
    // Back from a lost connection: re-read the client, whatever the stream resumes with.
    const offReopen = live.onReopen(() => setRevision((r) => r + 1));
    return () => {
      offReopen();
      stop();
      clearTimeout(refreshTimer.current);
    };
  }, [live, props.clientId]);

  const history = useQuery(`${props.clientId}|${range}`, async () => {
    const points: HistoryPoint[] = [];
    let from = rangeStart(range, new Date());
    for (let page = 0; page < HISTORY_PAGES; page++) {
      const answer = await api.portfolio.history.query({
        ownerId: props.clientId,
        limit: 500,
        ...(from ? { from } : {}),
      });
      const fresh = answer.points.filter(
        (p) => !points.length || p.takenAt > points[points.length - 1]!.takenAt,
      );
      points.push(...fresh);
      if (answer.points.length < 500 || fresh.length === 0) break;
      from = points[points.length - 1]!.takenAt;
    }
    return points;
  });

  const data = overview.data;
  // The live event is newer than the overview when its asOf is: it then sets the totals and accounts.
  const useLive = liveTotals && data && (!data.summary.asOf || liveTotals.asOf >= data.summary.asOf);
  const totals = useLive ? liveTotals.totals : data?.summary.totals;
  const asOf = useLive ? liveTotals.asOf : data?.summary.asOf;
  const accountNames = useMemo(
    () => new Map((data?.summary.accounts ?? []).map((a) => [a.accountId, a.name])),
    [data],
  );
  const accounts = useMemo(() => {
    const base = data?.summary.accounts ?? [];
    if (!useLive) return base;
    const fresh = new Map(liveTotals.accounts.map((a) => [a.accountId, a]));
    return base.map((a) => ({ ...a, ...(fresh.get(a.accountId) ?? {}) }));
  }, [data, liveTotals, useLive]);
  const symbols = useMemo(
    () => new Map((data?.holdings.holdings ?? []).map((h) => [h.instrumentId, h.symbol])),
    [data],
  );
  const chartPoints = useMemo(() => {
    const recorded = history.data ?? [];
    const newest = recorded[recorded.length - 1]?.takenAt ?? '';
    return [...recorded, ...trail.filter((p) => p.takenAt > newest)];
  }, [history.data, trail]);
  const latest = useMemo(
    () => (totals && asOf ? { at: asOf, value: totals.marketValue } : null),
    [totals, asOf],
  );

  /** A transaction was added or a file imported here: re-read the holdings and the ledger. */
  const ledgerChanged = () => {
    setRevision((r) => r + 1);
    setLedgerRevision((r) => r + 1);
  };

  if (!data) {
    return (
      <main className="client" data-testid="client-view">
        <p className={overview.error ? 'error-bar' : 'empty'} role={overview.error ? 'alert' : undefined}>
          {overview.error ? describeError(overview.error, session.serverUrl) : 'Loading the client…'}
        </p>
        <button type="button" className="quiet" onClick={() => navigate({ name: 'book' })}>
          ← Back to the book
        </button>
      </main>
    );
  }

  const currency = totals?.currency ?? data.client.baseCurrency;
  const writableAccounts = accounts.map((a) => ({
    accountId: a.accountId,
    name: a.name,
    currency: a.currency,
  }));
  return (
    <main className="client" data-testid="client-view" data-owner-id={props.clientId}>
      <header className="client-head">
        <button
          type="button"
          className="quiet no-print"
          onClick={() => navigate({ name: 'book' })}
          title="Back (Esc)"
        >
          ←
        </button>
        <div className="who-block">
          <h1>{data.client.displayName}</h1>
          <span className="muted">
            {data.client.email} · reports in {currency}
            {asOf && ` · valued ${valuedAgo(formatAge(props.now - Date.parse(asOf)))}`}
          </span>
        </div>
        <span className="spacer" />
        <Kpi label="Total value" big testId="client-value">
          {totals ? `${formatAmount(totals.marketValue, currency)} ${currency}` : '–'}
        </Kpi>
        <Kpi label="Day change">
          <Money amount={totals?.dayChange ?? null} currency={currency} change />{' '}
          <Percent value={totals?.dayChangePercent ?? null} />
        </Kpi>
        <Kpi label="Unrealized gain">
          <Money amount={totals?.unrealizedGain ?? null} currency={currency} change />{' '}
          <Percent value={totals?.unrealizedGainPercent ?? null} />
        </Kpi>
        <div className="actions no-print">
          <button
            type="button"
            onClick={() => setForm((f) => (f === 'add' ? null : 'add'))}
            aria-expanded={form === 'add'}
          >
            Add transaction
          </button>
          <button
            type="button"
            onClick={() => setForm((f) => (f === 'import' ? null : 'import'))}
            aria-expanded={form === 'import'}
            data-testid="open-import"
          >
            Import file
          </button>
          <button type="button" className="primary" onClick={exportReport} data-testid="export-report">
            Export report
          </button>
        </div>
      </header>
      {liveError && <p className="error-bar">{describeError(liveError, session.serverUrl)}</p>}
      {data.summary.missing.prices.length + data.summary.missing.fxPairs.length > 0 && (
        <p className="warn-bar">
          Some positions are not valued: {data.summary.missing.prices.length} without a price,{' '}
          {data.summary.missing.fxPairs.length} without an exchange rate.
        </p>
      )}
      {form === 'add' && (
        <AddTransaction
          accounts={writableAccounts}
          holdings={data.holdings.holdings}
          onDone={(added) => {
            setForm(null);
            if (added) ledgerChanged();
          }}
        />
      )}
      {form === 'import' && (
        <ImportFile accounts={writableAccounts} onImported={ledgerChanged} onClose={() => setForm(null)} />
      )}
      <div className="client-grid">
        <section className="panel chart-panel" aria-label="Value over time">
          <div className="panel-head">
            <h2>Value</h2>
            <span className="spacer" />
            <fieldset className="segmented no-print">
              <legend className="sr-only">Range</legend>
              {HISTORY_RANGES.map((r) => (
                <button key={r} type="button" aria-pressed={r === range} onClick={() => setRange(r)}>
                  {r}
                </button>
              ))}
            </fieldset>
          </div>
          <ValueChart points={chartPoints} latest={latest} currency={currency} />
          {history.data && history.data.length === 0 && (
            <p className="muted chart-note">
              No value history for this range (no transaction yet); the line shows the values seen live since
              this screen opened.
            </p>
          )}
          {history.error && <p className="error-bar">{describeError(history.error, session.serverUrl)}</p>}
        </section>
        <section className="panel accounts-panel" aria-label="Accounts">
          <h2>Accounts</h2>
          <table className="data">
            <TableHead text={['Account']} figures={['Value', 'Day', 'Gain']} />
            <tbody>
              {accounts.map((a) => (
                <tr key={a.accountId}>
                  <td>{a.name}</td>
                  <td className="right">
                    <Money amount={a.marketValue} currency={a.currency} />
                  </td>
                  <td className="right">
                    <Percent value={a.dayChangePercent} />
                  </td>
                  <td className="right">
                    <Money amount={a.unrealizedGain} currency={a.currency} change />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section className="panel holdings-panel" aria-label="Holdings">
          <h2>Holdings</h2>
          {/*
           * Wider than its panel (a narrow window, long figures), the table scrolls sideways with the
           * symbol column kept in view; the region takes focus so a keyboard can scroll it too.
           */}
          {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard. */}
          <section className="table-scroll" tabIndex={0} aria-label="Holdings table">
            <table className="data holdings" data-testid="holdings">
              <TableHead
                text={['Symbol', 'Name', 'Account']}
                figures={['Quantity', 'Price', `Value (${currency})`, 'Day', 'Gain', 'Weight']}
              />
              <tbody>
                {data.holdings.holdings.map((h) => (
                  <tr key={`${h.accountId}|${h.instrumentId}`}>
                    <td className="strong">{h.symbol}</td>
                    <td className="ellipsis" title={h.name}>
                      {h.name}
                    </td>
                    <td className="ellipsis" title={h.accountName}>
                      {h.accountName}
                    </td>
                    <td className="right num">{formatPlain(h.quantity)}</td>
                    <td className="right num">
                      {h.price === null ? '–' : `${formatPlain(h.price)} ${h.localCurrency}`}
                    </td>
                    <td className="right">
                      <Money amount={h.marketValue} currency={currency} />
                    </td>
                    <td className="right">
                      <Percent value={h.dayChangePercent} />
                    </td>
                    <td className="right">
                      <Money amount={h.unrealizedGain} currency={currency} change />
                    </td>
                    <td className="right num">{formatPercent(h.weightPercent, { signed: false })}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        </section>
        <AllocationPanel allocation={data.allocation} currency={currency} />
        <div className="transactions-slot no-print">
          <TransactionsPanel
            ownerId={props.clientId}
            symbols={symbols}
            accounts={accountNames}
            revision={ledgerRevision}
          />
        </div>
      </div>
      <footer className="print-only report-foot">
        Tickfolio client report · {data.client.displayName} · printed{' '}
        {new Date(props.now).toISOString().slice(0, 16).replace('T', ' ')} UTC · amounts in {currency} unless
        shown
      </footer>
    </main>
  );
}
