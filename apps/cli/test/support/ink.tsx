import { renderToString } from 'ink';
import { render } from 'ink-testing-library';
import type { ReactElement } from 'react';
import { type TerminalSize, TerminalSizeContext } from '../../src/components/terminal-size';
import { ColorContext } from '../../src/components/theme';

/**
 * Renders a component as the CLI does, with colour on or off, in a terminal of `size` (rerender keeps
 * the settings). ink-testing-library's own stdout is 100 columns wide.
 */
export function renderPlain(node: ReactElement, color = false, size: Partial<TerminalSize> = {}) {
  const terminal = { columns: 100, rows: Number.POSITIVE_INFINITY, ...size };
  const wrap = (element: ReactElement) => (
    <ColorContext.Provider value={color}>
      <TerminalSizeContext.Provider value={terminal}>{element}</TerminalSizeContext.Provider>
    </ColorContext.Provider>
  );
  const instance = render(wrap(node));
  return { ...instance, rerender: (element: ReactElement) => instance.rerender(wrap(element)) };
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching escape codes is the point
export const ANSI = /\u001b\[/;

/**
 * Renders a component once as the CLI prints it in a terminal `columns` wide (and `rows` high, for
 * live views), without colour: ink's renderToString, as src/render/static.tsx uses it.
 */
export function renderAt(node: ReactElement, size: { columns: number; rows?: number }): string {
  const terminal = { rows: Number.POSITIVE_INFINITY, ...size };
  return renderToString(
    <ColorContext.Provider value={false}>
      <TerminalSizeContext.Provider value={terminal}>{node}</TerminalSizeContext.Provider>
    </ColorContext.Provider>,
    { columns: size.columns },
  );
}
