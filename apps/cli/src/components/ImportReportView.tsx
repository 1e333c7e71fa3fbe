import { Box, Text } from 'ink';
import type { ImportReport } from '../api/types';
import { Table } from './Table';
import { Toned } from './theme';

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** How a report names an instrument of the file: its name and the file's code for it. */
function named(u: { readonly symbol: string; readonly name?: string | undefined }): string {
  return u.name && u.name !== u.symbol ? `${u.name} (${u.symbol})` : u.symbol;
}

/** The instruments the import added to the catalogue (a dry run: would add), as the catalogue has them. */
function AddedInstruments({ report }: { report: ImportReport }) {
  const added = report.addedInstruments;
  if (added.length === 0) return null;
  return (
    <Box flexDirection="column">
      <Text>
        {report.dryRun ? 'Would add' : 'Added'} {plural(added.length, 'instrument')} to the catalogue:
      </Text>
      <Table
        columns={[
          { header: 'Instrument' },
          { header: 'Kind' },
          { header: 'Symbol' },
          { header: 'Exchange' },
          { header: 'Currency' },
        ]}
        rows={added.map((a) => [
          named(a),
          a.kind === 'symbol' ? 'symbol' : a.instrument.liability ? 'manual liability' : 'manual asset',
          a.instrument.symbol,
          a.instrument.exchange ?? '',
          a.instrument.currency,
        ])}
      />
    </Box>
  );
}

/**
 * The outcome of an import: counts, the instruments added and those the catalogue lacks (with why), and
 * every refused row with the column at fault and why. With --skip-invalid the valid rows were stored and
 * the table lists the rest.
 */
export function ImportReportView({ file, report }: { file: string; report: ImportReport }) {
  const verb = report.dryRun ? 'would import' : 'imported';
  const skipped = report.skipped > 0 ? `, skipped ${report.skipped} already recorded` : '';
  const unknown = report.unknownInstruments;
  const skipInvalid = report.mode === 'skip-invalid';
  if (report.errorCount === 0 && unknown.length === 0) {
    const done = (
      <Text>
        <Toned tone="up">✔</Toned> {file}: {verb} {plural(report.imported, 'transaction')}
        {skipped}.
      </Text>
    );
    if (report.addedInstruments.length === 0) return done;
    return (
      <Box flexDirection="column">
        {done}
        <AddedInstruments report={report} />
      </Box>
    );
  }
  const hidden = report.errorCount - report.errors.length;
  const headline = skipInvalid
    ? `${verb} ${plural(report.imported, 'transaction')}${skipped}; ${plural(report.errorCount, 'row')} refused`
    : `nothing imported; ${report.errorCount > 0 ? plural(report.errorCount, 'row') : 'no row'} with problems${
        unknown.length > 0 ? `, ${plural(unknown.length, 'instrument')} not in the catalogue` : ''
      }`;
  return (
    <Box flexDirection="column">
      <Text>
        <Toned tone={skipInvalid && report.imported > 0 ? 'up' : 'error'}>
          {skipInvalid && report.imported > 0 ? '✔' : '✘'}
        </Toned>{' '}
        {file}: {headline}:
      </Text>
      <AddedInstruments report={report} />
      {unknown.length > 0 ? (
        <Table
          columns={[
            { header: 'Instrument', shrinkTo: 12 },
            { header: 'Kind' },
            { header: 'Source' },
            { header: 'Currency' },
            { header: 'Rows', align: 'right' },
            ...(unknown.some((u) => u.reason) ? [{ header: 'Why not added' }] : []),
          ]}
          rows={unknown.map((u) => [
            named(u),
            u.kind === 'manual' ? 'manual asset' : 'symbol',
            u.dataSource ?? '',
            u.currency ?? '',
            String(u.rowCount),
            ...(unknown.some((x) => x.reason) ? [u.reason?.message ?? ''] : []),
          ])}
        />
      ) : null}
      {report.errors.length > 0 ? (
        <Table
          columns={[
            { header: 'Row', align: 'right' },
            { header: 'Field', shrinkTo: 8 },
            { header: 'Problem', shrinkTo: 20 },
          ]}
          rows={report.errors.map((e) => [
            e.row === 0 ? 'file' : String(e.row),
            e.field ?? '',
            e.reason ? `${e.message} (${e.reason})` : e.message,
          ])}
        />
      ) : null}
      {hidden > 0 ? <Toned tone="muted">…and {hidden} more.</Toned> : null}
      <Toned tone="muted">
        {skipInvalid
          ? 'Fix the refused rows and import them again; the rows stored are not stored twice.'
          : unknown.length > 0
            ? 'Add the missing instruments, or import with --skip-invalid to store the other rows; nothing was written.'
            : 'Fix these rows and import the file again, or import with --skip-invalid; nothing was written.'}
      </Toned>
    </Box>
  );
}
