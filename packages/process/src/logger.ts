import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * Fields that may hold a credential wherever they appear in a log line's object (two levels deep,
 * as pino's redaction paths reach): they are censored even if a future log call passes a request
 * body, a header set or an error that carries one. The primary rule is to never log them; this is
 * the net below it.
 */
export const REDACTED_PATHS: readonly string[] = [
  'password',
  'currentPassword',
  'newPassword',
  'token',
  'accessToken',
  'refreshToken',
  'refresh_token',
  'access_token',
  'clientSecret',
  'client_secret',
  'secret',
  'authorization',
  'cookie',
].flatMap((key) => [key, `*.${key}`, `*.*.${key}`]);

/**
 * JSON logs to stdout (one line per event), level from config; `destination` takes them elsewhere (a
 * test reading what a real server writes).
 */
export function createLogger(level: string, name: string, destination?: DestinationStream): Logger {
  const options = { name, level, base: { service: name }, redact: { paths: [...REDACTED_PATHS] } };
  return destination ? pino(options, destination) : pino(options);
}
