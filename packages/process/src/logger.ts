import pino, { type Logger } from 'pino';

export type { Logger };

/** JSON logs to stdout (one line per event), level from config. */
export function createLogger(level: string, name: string): Logger {
  return pino({ name, level, base: { service: name } });
}
