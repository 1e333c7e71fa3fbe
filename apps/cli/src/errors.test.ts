import { TRPCClientError } from '@trpc/client';
import { CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { CliError, EXIT, toCliError } from './errors';

const SERVER = 'http://127.0.0.1:4000';

function apiError(code: string, message: string, data: Record<string, unknown> = {}) {
  return TRPCClientError.from({ error: { code: -32600, message, data: { code, httpStatus: 400, ...data } } });
}

describe('toCliError', () => {
  it('maps sign-in problems to exit 3 with what to do', () => {
    const error = toCliError(apiError('UNAUTHORIZED', 'jwt expired'), SERVER)!;
    expect(error).toMatchObject({
      exitCode: EXIT.auth,
      message: 'Your session ended; run `tickfolio login`.',
    });
    expect(toCliError(apiError('FORBIDDEN', 'lacks the scope'), SERVER)!.exitCode).toBe(EXIT.auth);
  });

  it('says an admin call needs the admin role (the server hides it as not found), exit 3', () => {
    const hidden = toCliError(apiError('NOT_FOUND', 'not found', { path: 'admin.users.list' }), SERVER)!;
    expect(hidden).toMatchObject({ exitCode: EXIT.auth, message: 'This command needs the admin role.' });
    const forbidden = toCliError(apiError('FORBIDDEN', 'no', { path: 'admin.users.setRole' }), SERVER)!;
    expect(forbidden.message).toBe('This command needs the admin role.');
    // An admin asking for a user that does not exist is told just that.
    const missing = toCliError(apiError('NOT_FOUND', 'user not found', { path: 'admin.users.get' }), SERVER)!;
    expect(missing).toMatchObject({ exitCode: EXIT.error, message: 'Not found: user not found.' });
  });

  it('finds the sentence a failed refresh threw inside the client (a revoked session), exit 3', () => {
    const wrapped = TRPCClientError.from(
      Object.assign(new Error('Your session ended; run `tickfolio login`.'), {
        cause: new CliError('Your session ended; run `tickfolio login`.', EXIT.auth),
      }),
    );
    expect(toCliError(wrapped, SERVER)).toMatchObject({
      exitCode: EXIT.auth,
      message: 'Your session ended; run `tickfolio login`.',
    });
  });

  it('maps a refused connection to exit 4, naming the server', () => {
    const refused = Object.assign(new TypeError('fetch failed'), {
      cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
    });
    const error = toCliError(TRPCClientError.from(refused), SERVER)!;
    expect(error.exitCode).toBe(EXIT.unreachable);
    expect(error.message).toBe(`Cannot reach the Tickfolio server at ${SERVER}.`);
  });

  it('says so when something else answers', () => {
    const error = toCliError(TRPCClientError.from(new SyntaxError('Unexpected token < in JSON')), SERVER)!;
    expect(error.exitCode).toBe(EXIT.unreachable);
    expect(error.message).toContain('did not answer like a Tickfolio server');
  });

  it('lists invalid fields and domain reasons', () => {
    const invalid = toCliError(
      apiError('BAD_REQUEST', 'invalid', { issues: [{ path: 'baseCurrency', message: 'Invalid option' }] }),
      SERVER,
    )!;
    expect(invalid).toMatchObject({ exitCode: EXIT.error, details: ['baseCurrency: Invalid option'] });
    const oversell = toCliError(
      apiError('BAD_REQUEST', 'sell removes more than held', { reason: 'OVERSELL' }),
      SERVER,
    )!;
    expect(oversell).toMatchObject({
      message: 'Refused: sell removes more than held.',
      hint: 'reason: OVERSELL',
    });
  });

  it('keeps CLI errors, makes commander errors usage errors, and leaves bugs alone', () => {
    const own = new CliError('No account "x".');
    expect(toCliError(own, SERVER)).toBe(own);
    expect(toCliError(new CommanderError(1, 'commander.invalidArgument', 'bad'), SERVER)!.exitCode).toBe(
      EXIT.usage,
    );
    expect(toCliError(new RangeError('a bug'), SERVER)).toBeUndefined();
  });
});
