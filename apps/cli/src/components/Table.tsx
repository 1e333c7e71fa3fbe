import { Box, Text } from 'ink';
import { Fragment, useContext } from 'react';
import { type FitColumn, fitColumns, truncateToWidth } from '../format/fit-columns';
import { displayWidth } from '../format/width';
import { useTerminalSize } from './terminal-size';
import { ColorContext, flashMark, type Tone, Toned } from './theme';

/** A column: its header, alignment, and how it gives way when the terminal is narrow (FitColumn). */
export interface Column extends FitColumn {
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

/** Without colour a flashing cell carries an arrow, one column more. */
function markWidth(cell: Cell, color: boolean): number {
  return color ? 0 : flashMark(cell.flash).length;
}

/**
 * A plain table: a header, a rule, and rows; amounts right-aligned exactly as given. It fits the
 * terminal's width (or `width`): short headers first, then names cut with an ellipsis, then the
 * least important columns left out (see fitColumns). Each row is one line with two spaces between
 * cells, so cells never run together.
 */
export function Table({
  columns,
  rows,
  empty = 'Nothing to show.',
  width,
  maxRows = Number.POSITIVE_INFINITY,
}: {
  columns: readonly Column[];
  rows: readonly Row[];
  empty?: string;
  width?: number;
  /** Lines the rows may take (a live view's screen); the rest are counted on a last line. */
  maxRows?: number;
}) {
  const color = useContext(ColorContext);
  const terminal = useTerminalSize();
  if (rows.length === 0) return <Toned tone="muted">{empty}</Toned>;
  const cells = rows.map((row) => columns.map((_, i) => cellOf(row[i])));
  const fitted = fitColumns(
    columns,
    columns.map((_, c) => cells.map((row) => displayWidth(row[c]!.text) + markWidth(row[c]!, color))),
    width ?? terminal.columns,
    GAP,
  );
  const line = (lineCells: readonly Cell[], key: string) => (
    <Text key={key} wrap="truncate-end">
      {fitted.shown.map((c, i) => {
        const cell = lineCells[c]!;
        const columnWidth = fitted.widths[i]!;
        const text = truncateToWidth(cell.text, columnWidth - markWidth(cell, color));
        const pad = ' '.repeat(Math.max(0, columnWidth - displayWidth(text) - markWidth(cell, color)));
        const right = columns[c]!.align === 'right';
        const last = i === fitted.shown.length - 1;
        return (
          <Fragment key={c}>
            {i > 0 ? ' '.repeat(GAP) : ''}
            {right ? pad : ''}
            <Toned tone={cell.tone} flash={cell.flash}>
              {text}
            </Toned>
            {right || last ? '' : pad}
          </Fragment>
        );
      })}
    </Text>
  );
  const shownRows = rows.length <= maxRows ? rows.length : Math.max(1, maxRows - 1);
  const hidden = rows.length - shownRows;
  const rule = fitted.widths.map((w) => '─'.repeat(w)).join(' '.repeat(GAP));
  return (
    <Box flexDirection="column">
      {line(
        fitted.headers
          .map((header) => ({ text: header, tone: 'strong' as const }))
          .reduce<Cell[]>(
            (all, cell, i) => {
              all[fitted.shown[i]!] = cell;
              return all;
            },
            columns.map(() => ({ text: '' })),
          ),
        'header',
      )}
      <Text wrap="truncate-end">
        <Toned tone="muted">{rule}</Toned>
      </Text>
      {cells.slice(0, shownRows).map((row, r) => line(row, String(r)))}
      {hidden > 0 ? (
        <Text wrap="truncate-end">
          <Toned tone="muted">
            … {hidden} more {hidden === 1 ? 'row' : 'rows'} (a taller terminal shows{' '}
            {hidden === 1 ? 'it' : 'them'})
          </Toned>
        </Text>
      ) : null}
    </Box>
  );
}
