import { CommanderError } from 'commander';
import { compareDecimal } from './format/decimal';

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

/** The session was revoked, or expired past its refresh token: signing in again is the only way on. */
export function sessionEnded(): CliError {
  return new CliError('Your session ended; run `tickfolio login`.', EXIT.auth);
}

/** A call only administrators may make. */
function adminOnly(): CliError {
  return new CliError(
    'This command needs the admin role.',
    EXIT.auth,
    'Sign in as an administrator (`tickfolio login`), or ask one to do it.',
  );
}

/** A CliError that a tRPC link or header function threw, wrapped by the client as the cause. */
function cliErrorInside(error: unknown): CliError | undefined {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e instanceof CliError) return e;
  }
  return undefined;
}

/** The parts of a TRPCClientError this module reads (kept structural so no server type is needed). */
interface ApiErrorLike {
  readonly name: string;
  readonly message: string;
  readonly cause?: unknown;
  readonly data?: {
    readonly code?: string;
    readonly httpStatus?: number;
    readonly path?: string | null;
    readonly reason?: string | null;
    readonly issues?: readonly { readonly path: string; readonly message: string }[] | null;
    /** An OVERSELL's quantities: what the position held at that point, what was to be removed. */
    readonly oversell?: { readonly held: string; readonly requested: string };
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

const OVERSELL_HINT =
  'reason: OVERSELL (a sell or transfer out cannot remove more than the position holds on its date)';

/** Maps what a call can throw to a sentence and an exit code; unknown errors stay errors (a bug). */
export function toCliError(error: unknown, serverUrl: string): CliError | undefined {
  const inside = cliErrorInside(error);
  if (inside) return inside;
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
  // The server answers a non-admin's admin call as if the procedure did not exist (it hides them).
  const adminCall = error.data?.path?.startsWith('admin.') === true;
  switch (code) {
    case 'UNAUTHORIZED':
      if (error.data?.reason === 'INVALID_CREDENTIALS') {
        return new CliError('Wrong password.', EXIT.auth, 'Check it and try again.');
      }
      return sessionEnded();
    case 'FORBIDDEN':
      return adminCall ? adminOnly() : new CliError(`Not allowed: ${message}`, EXIT.auth);
    case 'NOT_FOUND':
      if (adminCall && error.message === 'not found') return adminOnly();
      return new CliError(
        `Not found: ${message}`,
        EXIT.error,
        'Check the id or name; you only see your own data.',
      );
    case 'BAD_REQUEST':
      if (error.data?.reason === 'OVERSELL' && error.data.oversell) {
        const { held, requested } = error.data.oversell;
        return new CliError(
          `Refused: a sell or transfer of ${requested} would take more than the ${held} held at that point.`,
          EXIT.error,
          OVERSELL_HINT,
        );
      }
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

/** The tRPC error code of a server's answer (SERVICE_UNAVAILABLE, BAD_REQUEST…), if it is one. */
export function apiErrorCode(error: unknown): string | undefined {
  return isApiError(error) ? error.data?.code : undefined;
}

/** An OVERSELL refusal's quantities (held at that point, to be removed), if the error is one. */
export function oversellOf(error: unknown): { held: string; requested: string } | undefined {
  if (!isApiError(error) || error.data?.reason !== 'OVERSELL') return undefined;
  return error.data.oversell;
}

/** The sentence for a new sell or transfer the position cannot cover, naming what is held. */
export function oversellError(
  oversell: { held: string; requested: string },
  trade: { type: string; quantity: string | undefined; symbol: string; account: string; date: string },
): CliError {
  // The refusal may be a later sell that this one leaves short (a back-dated sell): said as such.
  const ours = trade.quantity !== undefined && compareDecimal(trade.quantity, oversell.requested) === 0;
  return new CliError(
    ours
      ? `Refused: you hold ${oversell.held} ${trade.symbol} in "${trade.account}" on ${trade.date}; a ${trade.type} of ${oversell.requested} would take more.`
      : `Refused: after this ${trade.type}, a later sale of ${oversell.requested} ${trade.symbol} in "${trade.account}" would take more than the ${oversell.held} left.`,
    EXIT.error,
    OVERSELL_HINT,
  );
}
