/** A quiet owner's reads fall every READ_GRID_MS, at an offset of its own. */
const READ_GRID_MS = 4_500;
/** Least time from a read to the owner's next one on its grid. */
const READ_GAP_MS = 500;
/** Longest time from a read to the next one on the grid: READ_GAP_MS + READ_GRID_MS. */
export const READ_GRID_LATEST_MS = READ_GAP_MS + READ_GRID_MS;

/** The owner's offset on the read grid: FNV-1a of its id, so owners spread evenly over the grid. */
function gridOffset(ownerId: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < ownerId.length; i++) h = Math.imul(h ^ ownerId.charCodeAt(i), 0x01000193);
  return (h >>> 0) % READ_GRID_MS;
}

/**
 * When a quiet owner read at `nowMs` is read again at the latest: its next point on a grid of its own,
 * every READ_GRID_MS at its own offset, and at least READ_GAP_MS after now (so at most
 * READ_GRID_LATEST_MS). The grid does not drift with the batches' timing: an owner read on its grid is
 * read every 4.5 s while quiet, and the owners' reads spread evenly over the batches from the first
 * batch after a start on (every owner is read then), with no burst coming back.
 */
export function nextGridRead(ownerId: string, nowMs: number): number {
  const from = nowMs + READ_GAP_MS;
  return from + ((((gridOffset(ownerId) - from) % READ_GRID_MS) + READ_GRID_MS) % READ_GRID_MS);
}
