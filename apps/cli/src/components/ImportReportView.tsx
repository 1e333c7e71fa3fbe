import { Box, Text } from 'ink';
import type { ImportReport } from '../api/types';
import { Table } from './Table';
import { Toned } from './theme';

/** The outcome of an import: counts, and every bad row with the column at fault and why. */
export function ImportReportView({ file, report }: { file: string; report: ImportReport }) {
  if (report.errorCount === 0) {
    const verb = report.dryRun ? 'would import' : 'imported';
    return (
      <Text>
        <Toned tone="up">✔</Toned> {file}: {verb} {report.imported} transaction
        {report.imported === 1 ? '' : 's'}
        {report.skipped > 0 ? `, skipped ${report.skipped} already recorded` : ''}.
      </Text>
    );
  }
  const hidden = report.errorCount - report.errors.length;
  return (
    <Box flexDirection="column">
      <Text>
        <Toned tone="error">✘</Toned> {file}: nothing imported; {report.errorCount} row
        {report.errorCount === 1 ? ' has a problem' : 's have problems'}:
      </Text>
      <Table
        columns={[{ header: 'Row', align: 'right' }, { header: 'Field' }, { header: 'Problem' }]}
        rows={report.errors.map((e) => [
          e.row === 0 ? 'file' : String(e.row),
          e.field ?? '',
          e.reason ? `${e.message} (${e.reason})` : e.message,
        ])}
      />
      {hidden > 0 ? <Toned tone="muted">…and {hidden} more.</Toned> : null}
      <Toned tone="muted">Fix these rows and import the file again; nothing was written.</Toned>
    </Box>
  );
}
