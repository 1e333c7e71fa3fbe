import type { Command } from 'commander';
import { CliError, EXIT, toCliError, usageError } from '../errors';
import { ask, askSecret, readFirstLine, readLines } from '../prompt';
import { renderJson, renderLine, renderTable } from '../render';
import { write } from '../render/output';
import type { CommandContext } from './context';
import { withExamples, withJson } from './help';

/** The server's rule for a new password (its password policy): 12 to 256 characters. */
const PASSWORD_LENGTH = { min: 12, max: 256 } as const;

/** login, logout, whoami, password change. */
export function registerAuthCommands(program: Command, ctx: CommandContext): void {
  withExamples(
    program
      .command('login')
      .description('sign in; the tokens are kept in your config directory (mode 0600) and refreshed silently')
      .option('-e, --email <email>', 'your email (asked for when omitted)')
      .option('--password-stdin', 'read the password from the first line of stdin (for scripts)'),
    [
      'tickfolio login',
      'tickfolio login --email investor1@demo.tickfolio.dev',
      'echo "$PASSWORD" | tickfolio login -e me@example.com --password-stdin --server https://tickfolio.example',
    ],
  ).action(async (options: { email?: string; passwordStdin?: boolean }) => {
    const { out, env } = ctx;
    const email =
      options.email ?? (out.stdin.isTTY ? await ask('Email: ', out.stdin, out.stderr) : undefined);
    if (!email) throw usageError('No email given.', 'Use --email.');
    const password = options.passwordStdin
      ? await readFirstLine(out.stdin)
      : (env.password ?? (await askSecret('Password: ', out.stdin, out.stderr)));
    if (!password) throw usageError('No password given.');
    const auth = await ctx.auth();
    await auth.login(email, password);
    await renderLine(out, `Signed in to ${auth.serverUrl} as ${email}.`);
  });

  withExamples(program.command('logout').description('sign out here and revoke the session on the server'), [
    'tickfolio logout',
  ]).action(async () => {
    const auth = await ctx.auth();
    const { signedIn, revoked } = await auth.logout();
    if (!signedIn) return renderLine(ctx.out, `You were not signed in to ${auth.serverUrl}.`);
    if (revoked) return renderLine(ctx.out, `Signed out of ${auth.serverUrl}.`);
    // Not a success to report as one: the session still works for anyone holding its tokens.
    throw new CliError(
      `Signed out here, but the server at ${auth.serverUrl} could not be told: the session stays valid there until it expires.`,
      EXIT.unreachable,
      'Its tokens are gone from this machine; an administrator can end it sooner (admin users disable).',
    );
  });

  withExamples(withJson(program.command('whoami').description('who you are signed in as, and where')), [
    'tickfolio whoami',
    'tickfolio whoami --json | jq -r .email',
  ]).action(async (options: { json?: boolean }) => {
    const client = await ctx.api();
    const server = await ctx.serverUrl();
    const me = await client.auth.me.query().catch(async (error: unknown) => {
      if (toCliError(error, server)?.exitCode !== EXIT.unreachable) throw error;
      return null;
    });
    if (me === null) {
      // The server is down: the saved session still says who this is, though not with what role.
      const saved = await (await ctx.auth()).current();
      if (options.json) {
        return renderJson(ctx.out, { server, email: saved?.email ?? null, serverReachable: false });
      }
      await renderLine(ctx.out, `${saved?.email ?? 'someone'} on ${server}`);
      await write(ctx.out.stderr, 'The server could not be reached: this is the saved session, unchecked.\n');
      return;
    }
    if (options.json) return renderJson(ctx.out, { server, ...me, serverReachable: true });
    if (me.kind === 'service') return renderLine(ctx.out, `API client ${me.clientId} on ${server}`);
    await renderTable(
      ctx.out,
      [
        { header: 'Name', shrinkTo: 10, drop: 2 },
        { header: 'Email', shrinkTo: 16 },
        { header: 'Role' },
        { header: 'Base', drop: 1 },
        { header: 'Server', shrinkTo: 16, drop: 3 },
      ],
      [[me.displayName, me.email, me.role, me.baseCurrency, server]],
    );
  });

  const password = program.command('password').description('your password');
  withExamples(
    password
      .command('change')
      .description('change your password (asked without echo); your other sessions end, this one goes on')
      .option(
        '--password-stdin',
        'read the current password, then the new one, from the first two lines of stdin',
      ),
    [
      'tickfolio password change',
      'printf "%s\\n%s\\n" "$OLD" "$NEW" | tickfolio password change --password-stdin',
    ],
  ).action(async (options: { passwordStdin?: boolean }) => {
    const { out } = ctx;
    const client = await ctx.api();
    let currentPassword: string;
    let newPassword: string;
    if (options.passwordStdin) {
      [currentPassword, newPassword] = (await readLines(out.stdin, 2)) as [string, string];
    } else {
      currentPassword = await askSecret('Current password: ', out.stdin, out.stderr);
      newPassword = await askSecret('New password: ', out.stdin, out.stderr);
      const again = await askSecret('New password again: ', out.stdin, out.stderr);
      if (again !== newPassword) throw usageError('The two new passwords differ; nothing changed.');
    }
    if (!currentPassword) throw usageError('No current password given.');
    const length = [...newPassword].length;
    if (length < PASSWORD_LENGTH.min || length > PASSWORD_LENGTH.max) {
      throw usageError(
        `The new password must be ${PASSWORD_LENGTH.min} to ${PASSWORD_LENGTH.max} characters (it has ${length}); nothing changed.`,
      );
    }
    const pair = await client.auth.changePassword.mutate({ currentPassword, newPassword });
    const auth = await ctx.auth();
    await auth.adopt(pair);
    await renderLine(out, `Password changed; your other sessions on ${auth.serverUrl} have ended.`);
  });
}
