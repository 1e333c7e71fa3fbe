import { Text } from 'ink';
import { type ConnectionState, describeAge } from '../live/dashboard-state';
import { type Tone, Toned } from './theme';

const BADGES: Record<ConnectionState, { text: string; tone: Tone }> = {
  connecting: { text: '◌ connecting', tone: 'warn' },
  live: { text: '● live', tone: 'up' },
  reconnecting: { text: '◌ reconnecting', tone: 'error' },
  stopped: { text: '■ stopped', tone: 'muted' },
};

/** Connection state, age of the last update, reconnects so far. */
export function LiveStatus({
  connection,
  error,
  lastUpdateAt,
  now,
  reconnects,
}: {
  connection: ConnectionState;
  error: string | null;
  lastUpdateAt: number | null;
  now: number;
  reconnects: number;
}) {
  const badge = BADGES[connection];
  return (
    <Text wrap="truncate-end">
      <Toned tone={badge.tone}>{badge.text}</Toned>
      <Toned tone="muted">
        {'  '}updated {describeAge(lastUpdateAt, now)}
        {reconnects > 0 ? `  ·  ${reconnects} reconnect${reconnects === 1 ? '' : 's'}` : ''}
        {error && connection !== 'live' ? `  ·  ${error}` : ''}
      </Toned>
    </Text>
  );
}
