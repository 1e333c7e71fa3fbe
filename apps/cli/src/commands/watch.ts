import type { Command } from 'commander';
import { toBookRow } from '../live/book-dashboard';
import { bookFeed } from '../live/book-feed';
import { withNotifications } from '../live/notification-feed';
import { portfolioFeed } from '../live/portfolio-feed';
import { renderBook, renderBookWatch, renderJson, renderPortfolio, renderWatch } from '../render';
import { findClient } from '../services/lookup';
import type { CommandContext } from './context';
import { positiveInt, withExamples, withJson } from './help';

interface LiveOptions {
  json?: boolean;
  updates?: number;
  retry: boolean;
}

function liveOptions(command: Command): Command {
  return withJson(command)
    .option('--updates <n>', 'stop after this many updates (for scripts)', positiveInt(1_000_000))
    .option(
      '--no-retry',
      'exit (code 4) when the connection drops, instead of reconnecting and resuming after the last event',
    )
    .addHelpText(
      'after',
      '\nOn a terminal: q, Esc or Ctrl-C quits. In a pipe: one line per update (NDJSON with --json).',
    );
}

/** watch; clients and clients watch. */
export function registerLiveCommands(program: Command, ctx: CommandContext): void {
  withExamples(
    liveOptions(program.command('watch').description('live portfolio dashboard: values tick as prices move')),
    ['tickfolio watch', 'tickfolio watch --json --updates 1 | jq .totals'],
  ).action(async (options: LiveOptions) => {
    const client = await ctx.api();
    const auth = await ctx.auth();
    const session = await auth.current();
    await renderWatch(
      ctx.out,
      `Portfolio · ${session?.email ?? ''}`,
      withNotifications(portfolioFeed(client, auth, ctx.now, { retry: options.retry }), client, ctx.now),
      {
        json: options.json,
        updates: options.updates,
        now: ctx.now,
      },
    );
  });

  const clients = withExamples(
    program.command('clients').description("advisors: your clients' portfolios, now or live"),
    ['tickfolio clients', 'tickfolio clients watch', 'tickfolio clients --json | jq -r ".[].email"'],
  );

  withExamples(
    withJson(clients.command('list', { isDefault: true }).description('your clients with their totals')),
    ['tickfolio clients list --json'],
  ).action(async (options: LiveOptions) => {
    const client = await ctx.api();
    const book = await client.advisor.clients.query();
    if (options.json) return renderJson(ctx.out, book);
    await renderBook(ctx.out, book.map(toBookRow));
  });

  withExamples(
    withJson(
      clients
        .command('show')
        .description("one client's portfolio: totals, holdings, allocation")
        .argument('<client>', 'email, name or id'),
    ),
    ['tickfolio clients show investor7@demo.tickfolio.dev', 'tickfolio clients show "Arjun Banerjee" --json'],
  ).action(async (ref: string, options: { json?: boolean }) => {
    const client = await ctx.api();
    const found = await findClient(client, ref);
    const view = await client.advisor.client.query({ clientId: found.clientId });
    if (options.json) return renderJson(ctx.out, view);
    await renderPortfolio(ctx.out, { ...view, title: `${view.client.displayName} <${view.client.email}>` });
  });

  withExamples(liveOptions(clients.command('watch').description('live book of all your clients')), [
    'tickfolio clients watch',
  ]).action(async (options: LiveOptions) => {
    const client = await ctx.api();
    const auth = await ctx.auth();
    await renderBookWatch(ctx.out, bookFeed(client, auth, ctx.now, { retry: options.retry }), {
      json: options.json,
      updates: options.updates,
      now: ctx.now,
    });
  });
}
