import { CommanderError } from 'commander';

/** What the process exits with; scripts rely on these. */
export const EXIT = {
  ok: 0,
  error: 1,
  usage: 2,
  auth: 3,
  unreachable: 4,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An expected failure: one sentence on what went wrong, an optional hint on what to do, an exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode = EXIT.error,
    readonly hint?: string,
    /** Field-level detail, e.g. from the server's input validation. */
    readonly details: readonly string[] = [],
    /** Already explained on screen (e.g. an import's row report): only the exit code is left to give. */
    readonly reported = false,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export function usageError(message: string, hint?: string): CliError {
  return new CliError(message, EXIT.usage, hint);
}

/** The parts of a TRPCClientError this module reads (kept structural so no server type is needed). */
interface ApiErrorLike {
  readonly name: string;
  readonly message: string;
  readonly cause?: unknown;
  readonly data?: {
    readonly code?: string;
    readonly httpStatus?: number;
    readonly reason?: string | null;
    readonly issues?: readonly { readonly path: string; readonly message: string }[] | null;
  } | null;
}

function isApiError(error: unknown): error is ApiErrorLike {
  return error instanceof Error && error.name === 'TRPCClientError';
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
]);

function isNetworkFailure(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
    if (e.name === 'TypeError' && e.message === 'fetch failed') return true;
  }
  return false;
}

function unreachable(serverUrl: string): CliError {
  return new CliError(
    `Cannot reach the Tickfolio server at ${serverUrl}.`,
    EXIT.unreachable,
    'Check that the server is running, or point at another one with --server URL or TICKFOLIO_SERVER.',
  );
}

/** Maps what a call can throw to a sentence and an exit code; unknown errors stay errors (a bug). */
export function toCliError(error: unknown, serverUrl: string): CliError | undefined {
  if (error instanceof CliError) return error;
  if (error instanceof CommanderError) return new CliError(error.message, EXIT.usage);
  if (!isApiError(error)) return isNetworkFailure(error) ? unreachable(serverUrl) : undefined;
  const code = error.data?.code;
  if (code === undefined) {
    if (isNetworkFailure(error)) return unreachable(serverUrl);
    // An answer that is not tRPC's JSON: another program listens there, or a proxy failed.
    return new CliError(
      `The server at ${serverUrl} did not answer like a Tickfolio server (${error.message}).`,
      EXIT.unreachable,
      'Check the URL given with --server or TICKFOLIO_SERVER.',
    );
  }
  const issues = (error.data?.issues ?? []).map((i) => (i.path ? `${i.path}: ${i.message}` : i.message));
  const message = sentence(error.message);
  switch (code) {
    case 'UNAUTHORIZED':
      return new CliError(
        'You are not signed in, or your session has ended.',
        EXIT.auth,
        'Run `tickfolio login`.',
      );
    case 'FORBIDDEN':
      return new CliError(`Not allowed: ${message}`, EXIT.auth);
    case 'NOT_FOUND':
      return new CliError(
        `Not found: ${message}`,
        EXIT.error,
        'Check the id or name; you only see your own data.',
      );
    case 'BAD_REQUEST':
      return new CliError(
        issues.length > 0 ? 'The server refused the input.' : `Refused: ${message}`,
        EXIT.error,
        error.data?.reason ? `reason: ${error.data.reason}` : undefined,
        issues,
      );
    case 'CONFLICT':
      return new CliError(`Conflict: ${message}`, EXIT.error);
    case 'TOO_MANY_REQUESTS':
      return new CliError(`Too many requests: ${message}`, EXIT.error, 'Wait a moment and try again.');
    case 'PAYLOAD_TOO_LARGE':
      return new CliError('The request is too large for the server.', EXIT.error);
    default:
      return new CliError(
        `The server failed to answer (${code}).`,
        EXIT.error,
        'Try again; if it keeps failing, tell the operator.',
      );
  }
}

function sentence(text: string): string {
  const trimmed = text.trim();
  if (trimmed === '') return 'no details';
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}
