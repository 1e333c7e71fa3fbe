import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * Rows an import handles between two turns of the event loop. Checking a row costs ~10–20 µs, so a
 * turn lasts a few milliseconds and every other request (a /healthz, a price update) waits at most that
 * long behind a 100,000-row file instead of seconds (measured: docs/BENCHMARKS.md, "Imports").
 */
export const ROWS_PER_TURN = 250;

/**
 * Calls `step` for each item in order, letting the event loop take a turn (setImmediate: pending I/O
 * runs first) after every `perTurn` items. A long import thus shares the process instead of holding it.
 */
export async function inTurns<T>(
  items: Iterable<T>,
  step: (item: T) => void | Promise<void>,
  perTurn: number = ROWS_PER_TURN,
): Promise<void> {
  let done = 0;
  for (const item of items) {
    if (done > 0 && done % perTurn === 0) await nextTurn();
    await step(item);
    done++;
  }
}

export { nextTurn };
