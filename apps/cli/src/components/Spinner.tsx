import { Text } from 'ink';
import { useEffect, useState } from 'react';
import { Toned } from './theme';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/**
 * "⠋ checking 1,204 rows of trades.csv" — a turning mark and what is under way. The server answers an
 * import in one call and reports no progress within it, so a bar would count the CLI's own steps,
 * which say nothing about the rows; the label names the rows instead and the mark shows it is alive.
 */
export function Spinner({ label, intervalMs = 80 }: { label: string; intervalMs?: number }) {
  const [frame, setFrame] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setFrame((f) => (f + 1) % FRAMES.length), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return (
    <Text>
      <Toned tone="accent">{FRAMES[frame]}</Toned> {label}
    </Text>
  );
}
