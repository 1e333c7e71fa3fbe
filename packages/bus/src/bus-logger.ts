/** What the bus logs through; the apps' pino loggers fit it. */
export interface BusLogger {
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}
