import type { FigureView, RowView } from './book-engine';

/** A book row as drawn: what the worker sent of it, and its age as the desk's clock reads it. */
export interface DrawnRow {
  readonly row: RowView;
  readonly age: string;
}

/**
 * Rows drawn anew, at most, in one commit: rows whose text changes, and rows not drawn before. Every
 * such row is laid out and painted again in the task that draws the commit, and a live book changes
 * every row in view on every frame (and every age on every tick of the clock): the 36 or so rows drawn
 * took 2–10 ms of layout and 2–6 ms of paint at a time, in one task that a machine with two shared
 * cores stretched past 50 ms of wall time (docs/BENCHMARKS.md, "Advisors' desk"). Eight keep that task
 * to under a quarter of it; a frame that moves every row drawn is on screen whole within five animation
 * frames (about 80 ms). The first screenful of the book (and a page moved to by PgDn or End) is drawn
 * the same way, from the top, eight rows a frame: drawn at once, with the rest of the desk's first
 * layout, it was a task of its own over 50 ms as the desk started.
 */
export const ROWS_PER_COMMIT = 8;

const sameFigure = (f: FigureView | null, g: FigureView | null) =>
  f === g || (f !== null && g !== null && f.text === g.text && f.sign === g.sign);

/** Whether two views of a row draw the same text, colours and tint. */
export function sameRowView(x: RowView, y: RowView): boolean {
  return (
    x === y ||
    (x.clientId === y.clientId &&
      x.name === y.name &&
      x.email === y.email &&
      x.currency === y.currency &&
      x.apart === y.apart &&
      x.share === y.share &&
      x.flash === y.flash &&
      sameFigure(x.value, y.value) &&
      sameFigure(x.dayChange, y.dayChange) &&
      sameFigure(x.dayChangePercent, y.dayChangePercent) &&
      sameFigure(x.gain, y.gain))
  );
}

const sameDrawn = (a: DrawnRow, b: DrawnRow) => a.age === b.age && sameRowView(a.row, b.row);

/**
 * What to draw of the rows wanted now, given what each client's row last drew: a row that draws the
 * same is taken as wanted; of the rows whose text changed or that were not drawn before, the first
 * `budget` in screen order are taken as wanted, and the rest keep what they drew — or, not drawn yet,
 * are left out (null) — for a later commit (`pending`). Positions are not staged: a row moved by the
 * sort moves at once (a transform, no layout), its new figures follow within a few frames.
 */
export function stageRows(
  wanted: readonly DrawnRow[],
  drawn: ReadonlyMap<string, DrawnRow>,
  budget = ROWS_PER_COMMIT,
): { rows: (DrawnRow | null)[]; pending: boolean } {
  let left = budget;
  let pending = false;
  const rows = wanted.map((want) => {
    const before = drawn.get(want.row.clientId);
    if (before && sameDrawn(before, want)) return want;
    if (left > 0) {
      left -= 1;
      return want;
    }
    pending = true;
    return before ?? null;
  });
  return { rows, pending };
}
