import { renderToString } from 'ink';
import type { ReactElement } from 'react';
import type { Allocation, Holdings, ImportReport, Summary } from '../api/types';
import { BookTable } from '../components/BookTable';
import { ErrorMessage } from '../components/ErrorMessage';
import { HoldingsTable } from '../components/HoldingsTable';
import { ImportReportView } from '../components/ImportReportView';
import { PortfolioView } from '../components/PortfolioView';
import { type ChartPoint, PriceChart } from '../components/PriceChart';
import { type Column, type Row, Table } from '../components/Table';
import { TerminalSizeContext } from '../components/terminal-size';
import { ColorContext } from '../components/theme';
import type { CliError } from '../errors';
import { difference } from '../format/decimal';
import type { BookRow } from '../live/book-dashboard';
import { type Output, write } from './output';

/** Renders a component once, as text, to a stream; resolves when written. */
async function renderOnce(out: Output, node: ReactElement, stream = out.stdout): Promise<void> {
  // Printed output scrolls: only its width is bounded.
  const size = { columns: out.columns, rows: Number.POSITIVE_INFINITY };
  const text = renderToString(
    <ColorContext.Provider value={out.color}>
      <TerminalSizeContext.Provider value={size}>{node}</TerminalSizeContext.Provider>
    </ColorContext.Provider>,
    { columns: out.columns },
  );
  await write(stream, `${text}\n`);
}

export function renderTable(out: Output, columns: readonly Column[], rows: readonly Row[], empty?: string) {
  return renderOnce(out, <Table columns={columns} rows={rows} empty={empty} />);
}

export function renderHoldings(out: Output, holdings: Holdings) {
  return renderOnce(out, <HoldingsTable holdings={holdings.holdings} />);
}

export function renderPortfolio(
  out: Output,
  view: { summary: Summary; holdings: Holdings; allocation: Allocation; title?: string },
) {
  return renderOnce(out, <PortfolioView {...view} />);
}

export function renderBook(out: Output, rows: readonly BookRow[]) {
  return renderOnce(out, <BookTable rows={rows} />);
}

export function renderImportReport(out: Output, file: string, report: ImportReport) {
  return renderOnce(out, <ImportReportView file={file} report={report} />);
}

export function renderChart(
  out: Output,
  chart: { title: string; currency: string; points: readonly ChartPoint[]; height?: number },
) {
  const first = chart.points[0];
  const last = chart.points[chart.points.length - 1];
  const change = first && last ? difference(last.price, first.price) : undefined;
  const width = Math.max(10, Math.min(out.columns - 16, 100));
  return renderOnce(out, <PriceChart {...chart} width={width} change={change} />);
}

/** An expected failure on stderr: no stack trace, a sentence and what to do. */
export function renderError(out: Output, error: CliError) {
  return renderOnce(
    out,
    <ErrorMessage message={error.message} hint={error.hint} details={error.details} />,
    out.stderr,
  );
}
