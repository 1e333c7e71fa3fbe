import type { ImportReport } from '../api/types';
import { TableHead } from '../ui/table-head';

type Instrument = ImportReport['unknownInstruments'][number];

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The rows an instrument is named on: the first ones the server lists, then how many more. */
function rowsText(i: Instrument): string {
  const more = i.rowCount - i.rows.length;
  return `${i.rows.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
}

/** The one-line outcome: what was (or would be) stored, skipped as already recorded, and refused. */
function summary(report: ImportReport): string {
  const stored = report.dryRun
    ? `Would import ${plural(report.imported, 'transaction')}`
    : `Imported ${plural(report.imported, 'transaction')}`;
  const parts = [
    stored,
    `${plural(report.skipped, 'duplicate')} skipped`,
    `${plural(report.errorCount, 'row')} refused`,
  ];
  if (report.unknownInstruments.length > 0) {
    parts.push(`${plural(report.unknownInstruments.length, 'instrument')} not in the catalogue`);
  }
  const whole =
    report.mode === 'all-or-nothing' && report.imported === 0 && report.errorCount > 0
      ? ' — all or nothing: nothing is stored while any row is refused'
      : '';
  return `${parts.join(' · ')}${whole}.`;
}

/** Instruments the file names that the catalogue lacks, or that the import adds to it. */
function InstrumentList(props: { title: string; instruments: readonly Instrument[]; testId: string }) {
  if (props.instruments.length === 0) return null;
  return (
    <section aria-label={props.title} className="import-part">
      <h3>{props.title}</h3>
      <table className="data" data-testid={props.testId}>
        <TableHead text={['Symbol', 'Kind', 'Currency', 'Name', 'Rows']} />
        <tbody>
          {props.instruments.map((i) => (
            <tr key={`${i.kind}|${i.dataSource ?? ''}|${i.symbol}|${i.currency ?? ''}`}>
              <td className="strong">{i.symbol}</td>
              <td>
                {i.kind === 'manual'
                  ? `manual asset${i.unitPrice ? `, ${i.unitPrice} on ${i.date}` : ''}`
                  : 'listed'}
              </td>
              <td>{i.currency ?? '–'}</td>
              <td className="ellipsis">{i.name ?? '–'}</td>
              <td className="num">{rowsText(i)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** Rows the import refused or skipped, each with its row number and the server's sentence. */
function RowList(props: {
  title: string;
  rows: readonly { row: number; field?: string; message: string }[];
  total: number;
  testId: string;
}) {
  if (props.rows.length === 0) return null;
  const shown = props.rows.length < props.total ? ` (the first ${props.rows.length} of ${props.total})` : '';
  return (
    <section aria-label={props.title} className="import-part">
      <h3>
        {props.title}
        {shown}
      </h3>
      <table className="data" data-testid={props.testId}>
        <TableHead text={['Row', 'Field', 'Why']} />
        <tbody>
          {props.rows.map((r, i) => (
            // Rows may repeat (two problems on one row): the position keeps them apart.
            // biome-ignore lint/suspicious/noArrayIndexKey: the server's list is fixed for this report.
            <tr key={`${r.row}|${i}`} data-row={r.row}>
              <td className="num">{r.row === 0 ? 'file' : r.row}</td>
              <td>{r.field ?? '–'}</td>
              <td className="wrap">{r.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/**
 * What an import did, or (a dry run) would do: the counts, then the refused rows, the duplicates and the
 * instruments the catalogue lacks or would gain, as the server reports them (docs/api.md, "Imports").
 */
export function ImportReportView(props: { report: ImportReport }) {
  const r = props.report;
  return (
    <div
      className="import-report"
      data-testid="import-report"
      data-dry-run={String(r.dryRun)}
      data-imported={r.imported}
      data-skipped={r.skipped}
      data-refused={r.errorCount}
    >
      <p className="import-summary" data-testid="import-summary">
        {summary(r)}
      </p>
      <RowList title="Refused rows" rows={r.errors} total={r.errorCount} testId="import-refused" />
      <RowList title="Already recorded" rows={r.duplicates} total={r.skipped} testId="import-duplicates" />
      <InstrumentList
        title="Not in the catalogue: their rows cannot be imported"
        instruments={r.unknownInstruments}
        testId="import-unknown"
      />
      <InstrumentList
        title={r.dryRun ? 'Would be added to the catalogue' : 'Added to the catalogue'}
        instruments={r.addedInstruments}
        testId="import-added"
      />
    </div>
  );
}
