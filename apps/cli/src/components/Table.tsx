import { Box, Text } from 'ink';
import { useContext } from 'react';
import { displayWidth } from '../format/width';
import { ColorContext, flashMark, type Tone, Toned } from './theme';

export interface Column {
  readonly header: string;
  readonly align?: 'left' | 'right';
}

export interface Cell {
  readonly text: string;
  readonly tone?: Tone | undefined;
  readonly flash?: 'up' | 'down' | undefined;
}

export type Row = readonly (Cell | string)[];

const GAP = 2;

const cellOf = (cell: Cell | string | undefined): Cell =>
  typeof cell === 'string' ? { text: cell } : (cell ?? { text: '' });

/** Column widths: the widest of header and cells. */
export function columnWidths(columns: readonly Column[], rows: readonly Row[], color = true): number[] {
  return columns.map((column, i) =>
    Math.max(displayWidth(column.header), ...rows.map((row) => cellWidth(cellOf(row[i]), color))),
  );
}

/** Without colour a flashing cell carries an arrow, one column more. */
function cellWidth(cell: Cell, color: boolean): number {
  return displayWidth(cell.text) + (color ? 0 : flashMark(cell.flash).length);
}

/** A plain table: a header, a rule, and rows; amounts right-aligned exactly as given. */
export function Table({
  columns,
  rows,
  empty = 'Nothing to show.',
}: {
  columns: readonly Column[];
  rows: readonly Row[];
  empty?: string;
}) {
  const color = useContext(ColorContext);
  if (rows.length === 0) return <Toned tone="muted">{empty}</Toned>;
  const widths = columnWidths(columns, rows, color);
  const line = (cells: readonly Cell[], key: string) => (
    <Box key={key} flexDirection="row">
      {columns.map((column, i) => {
        const cell = cells[i] ?? { text: '' };
        const width = widths[i] ?? 0;
        const pad = ' '.repeat(Math.max(0, width - cellWidth(cell, color)));
        const gap = i < columns.length - 1 ? ' '.repeat(GAP) : '';
        return (
          <Text key={column.header} wrap="truncate-end">
            {column.align === 'right' ? pad : ''}
            <Toned tone={cell.tone} flash={cell.flash}>
              {cell.text}
            </Toned>
            {column.align === 'right' ? '' : pad}
            {gap}
          </Text>
        );
      })}
    </Box>
  );
  const rule = widths.map((w) => '─'.repeat(w)).join(' '.repeat(GAP));
  return (
    <Box flexDirection="column">
      {line(
        columns.map((c) => ({ text: c.header, tone: 'strong' as const })),
        'header',
      )}
      <Text wrap="truncate-end">
        <Toned tone="muted">{rule}</Toned>
      </Text>
      {rows.map((row, r) =>
        line(
          columns.map((_, i) => cellOf(row[i])),
          String(r),
        ),
      )}
    </Box>
  );
}
