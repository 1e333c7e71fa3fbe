import type { Command } from 'commander';
import { usageError } from '../errors';
import { ask, askSecret, readFirstLine } from '../prompt';
import { renderJson, renderLine, renderTable } from '../render';
import type { CommandContext } from './context';
import { withExamples, withJson } from './help';

/** login, logout, whoami. */
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
    const was = await auth.logout();
    await renderLine(
      ctx.out,
      was ? `Signed out of ${auth.serverUrl}.` : `You were not signed in to ${auth.serverUrl}.`,
    );
  });

  withExamples(withJson(program.command('whoami').description('who you are signed in as, and where')), [
    'tickfolio whoami',
    'tickfolio whoami --json | jq -r .email',
  ]).action(async (options: { json?: boolean }) => {
    const client = await ctx.api();
    const me = await client.auth.me.query();
    const server = await ctx.serverUrl();
    if (options.json) return renderJson(ctx.out, { server, ...me });
    if (me.kind === 'service') return renderLine(ctx.out, `API client ${me.clientId} on ${server}`);
    await renderTable(
      ctx.out,
      [{ header: 'Name' }, { header: 'Email' }, { header: 'Role' }, { header: 'Base' }, { header: 'Server' }],
      [[me.displayName, me.email, me.role, me.baseCurrency, server]],
    );
  });
}
