/** Keys that may hold a credential, wherever they appear in a log line's object. */
const SECRET_KEYS: ReadonlySet<string> = new Set([
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
]);

export const CENSORED = '[Redacted]';

/** How deep keys are looked at: a key of the line itself, of one of its values, or of a value's value. */
const DEPTH = 3;

function isWalkable(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** The value with secret keys censored down to `depth` levels, or the value itself when it holds none. */
function censored(value: Record<string, unknown>, depth: number): Record<string, unknown> {
  let copy: Record<string, unknown> | null = null;
  for (const key of Object.keys(value)) {
    const inner = value[key];
    let replacement = inner;
    if (SECRET_KEYS.has(key)) replacement = CENSORED;
    else if (depth > 1 && isWalkable(inner)) replacement = censored(inner, depth - 1);
    if (replacement === inner) continue;
    // Copied on the first change only: the caller's object (a request's headers, an error) is never
    // altered, and a line without secrets costs one walk and no allocation.
    copy ??= (
      Array.isArray(value)
        ? ([...value] as unknown as Record<string, unknown>)
        : value instanceof Error
          ? Object.assign(Object.create(Object.getPrototypeOf(value)), value, {
              message: value.message,
              stack: value.stack,
              ...(value.cause === undefined ? {} : { cause: value.cause }),
            })
          : { ...value }
    ) as Record<string, unknown>;
    copy[key] = replacement;
  }
  return copy ?? value;
}

/**
 * A log line's object (or a child logger's bindings) with every credential-bearing field censored,
 * three levels deep, as pino's `key`, `*.key` and `*.*.key` redaction paths would. It replaces pino's
 * own redaction, which runs its paths through every value each time a child logger is made: a child per
 * HTTP request (Fastify's, and the one naming the caller) made that a fifth of everything the server
 * allocated per call (docs/BENCHMARKS.md). The primary rule is still to never log a secret; this is the
 * net below it.
 */
export function censorSecrets<T extends Record<string, unknown>>(line: T): T {
  return censored(line, DEPTH) as T;
}
