import { Writable } from 'node:stream';
import { createLogger, type Logger } from '@tickfolio/process';

/**
 * The process's own logger (createLogger: its JSON format and its redaction), writing into memory: the
 * lines a real server writes, as text, for a test to search.
 */
export function capturedProcessLogger(
  level: string,
  name: string,
): { log: Logger; text(): string; lines(): unknown[] } {
  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  const log = createLogger(level, name, sink);
  const text = () => chunks.join('');
  return {
    log,
    text,
    lines: () =>
      text()
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as unknown),
  };
}
