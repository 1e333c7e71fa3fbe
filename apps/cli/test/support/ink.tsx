import { render } from 'ink-testing-library';
import type { ReactElement } from 'react';
import { ColorContext } from '../../src/components/theme';

/** Renders a component as the CLI does, with colour on or off (rerender keeps the setting). */
export function renderPlain(node: ReactElement, color = false) {
  const wrap = (element: ReactElement) => (
    <ColorContext.Provider value={color}>{element}</ColorContext.Provider>
  );
  const instance = render(wrap(node));
  return { ...instance, rerender: (element: ReactElement) => instance.rerender(wrap(element)) };
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching escape codes is the point
export const ANSI = /\u001b\[/;
