/** Least time from a read to the owner's next one on its grid. */
const READ_GAP_MS = 500;
/**
 * Longest time a quiet owner's totals go unread: the readings of prices its room is counted on are kept
 * this long (see PriceDrift), and a move within a window needs its samples (windowReadLatestMs).
 */
export const READ_LATEST_MS = 60_000;
/** A window's start is a value read at most this long after it, for windows up to 100 s. */
const WINDOW_READ_LATEST_SHORTEST_MS = 5_000;
/** ... and at most this share of the window (1/WINDOW_SHARE) for longer ones, up to READ_LATEST_MS. */
const WINDOW_SHARE = 20;

/**
 * How long a quiet owner with a rule on a move within a window of `windowMs` may go unread: its window
 * starts at a value read (value-windows.ts), at most this long after the window's start. A twentieth of
 * the window (30 s for ten minutes: a window is 95 to 100 % of its length), but never more than 5 s for
 * the shortest windows (a minute: as before) nor more than a minute for the longest.
 */
export function windowReadLatestMs(windowMs: number): number {
  return Math.min(
    READ_LATEST_MS,
    Math.max(WINDOW_READ_LATEST_SHORTEST_MS, Math.floor(windowMs / WINDOW_SHARE)),
  );
}

/** The owner's place on its grid: FNV-1a of its id, so owners spread evenly over their grids. */
export function gridOffset(ownerId: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < ownerId.length; i++) h = Math.imul(h ^ ownerId.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * When a quiet owner read at `nowMs` is read again at the latest (`latestMs` after now, READ_LATEST_MS
 * unless a window asks for less): its next point on a grid of its own, every `latestMs` − READ_GAP_MS at
 * its own offset (`offset`, gridOffset of its id), and at least READ_GAP_MS after now. The grid does not
 * drift with the batches' timing: an owner read on its grid is read once a period while quiet, and the
 * owners' reads spread evenly over the batches from the start on (every owner is read then), with no
 * burst coming back.
 */
export function nextGridRead(offset: number, nowMs: number, latestMs = READ_LATEST_MS): number {
  const period = latestMs - READ_GAP_MS;
  const from = nowMs + READ_GAP_MS;
  return from + (((((offset % period) - (from % period)) % period) + period) % period);
}
