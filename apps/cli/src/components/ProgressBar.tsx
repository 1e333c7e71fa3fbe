import { Text } from 'ink';
import { Toned } from './theme';

/** "label  [██████······] 2/3" — steps done out of total. */
export function ProgressBar({
  label,
  done,
  total,
  width = 30,
}: {
  label: string;
  done: number;
  total: number;
  width?: number;
}) {
  const clamped = Math.max(0, Math.min(done, total));
  const filled = total === 0 ? width : Math.round((clamped / total) * width);
  return (
    <Text>
      [<Toned tone="accent">{'█'.repeat(filled)}</Toned>
      <Toned tone="muted">{'·'.repeat(width - filled)}</Toned>] {clamped}/{total} {label}
    </Text>
  );
}
