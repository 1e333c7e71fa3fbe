import { Box, Text } from 'ink';
import { Toned } from './theme';

/** An expected failure: what went wrong, the details, and what to do. */
export function ErrorMessage({
  message,
  hint,
  details = [],
}: {
  message: string;
  hint?: string | undefined;
  details?: readonly string[];
}) {
  return (
    <Box flexDirection="column">
      <Text>
        <Toned tone="error">Error:</Toned> {message}
      </Text>
      {details.map((d) => (
        <Text key={d}> • {d}</Text>
      ))}
      {hint ? <Toned tone="muted">{hint}</Toned> : null}
    </Box>
  );
}
