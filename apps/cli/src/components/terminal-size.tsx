import { createContext, useContext } from 'react';

/** The terminal's size as the views lay themselves out in it. */
export interface TerminalSize {
  readonly columns: number;
  /** Rows a live view may fill; Infinity for output that scrolls (a one-off table, a pipe). */
  readonly rows: number;
}

/**
 * Provided by the render helpers (the terminal's size, kept current on resize for live views); tables
 * fit its columns, live views its rows.
 */
export const TerminalSizeContext = createContext<TerminalSize>({
  columns: 80,
  rows: Number.POSITIVE_INFINITY,
});

export function useTerminalSize(): TerminalSize {
  return useContext(TerminalSizeContext);
}
