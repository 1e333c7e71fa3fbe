import { Text } from 'ink';
import { createContext, type ReactNode, useContext } from 'react';
import type { Tone } from './tone';

export { type Tone, toneOfSign } from './tone';

/** Whether components may colour their output (off when not a terminal, or with NO_COLOR). */
export const ColorContext = createContext(true);

const COLORS: Record<Tone, string | undefined> = {
  up: 'green',
  down: 'red',
  muted: 'gray',
  accent: 'cyan',
  warn: 'yellow',
  error: 'red',
  strong: undefined,
  plain: undefined,
};

/** Text in a tone; without colour it is plain text (so pipes and NO_COLOR get no escape codes). */
export function Toned({
  tone = 'plain',
  flash,
  children,
}: {
  tone?: Tone | undefined;
  /** A value that just moved: shown inverted in green or red. */
  flash?: 'up' | 'down' | undefined;
  children: ReactNode;
}) {
  const color = useContext(ColorContext);
  // Without colour a moved value is marked with an arrow instead.
  if (!color)
    return (
      <Text>
        {flash ? flashMark(flash) : ''}
        {children}
      </Text>
    );
  if (flash) {
    return (
      <Text color="black" backgroundColor={flash === 'up' ? 'green' : 'red'}>
        {children}
      </Text>
    );
  }
  return (
    <Text color={COLORS[tone]} bold={tone === 'strong' || tone === 'error'}>
      {children}
    </Text>
  );
}

export function flashMark(flash: 'up' | 'down' | undefined): string {
  return flash === 'up' ? '▲' : flash === 'down' ? '▼' : '';
}
