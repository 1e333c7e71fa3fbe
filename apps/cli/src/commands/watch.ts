import type { Command } from 'commander';
import { toBookRow } from '../live/book-dashboard';
import { bookFeed } from '../live/book-feed';
import { portfolioFeed } from '../live/portfolio-feed';
import { renderBook, renderBookWatch, renderJson, renderWatch } from '../render';
import type { CommandContext } from './context';
import { positiveInt, withExamples, withJson } from './help';

interface LiveOptions {
  json?: boolean;
  updates?: number;
}

function liveOptions(command: Command): Command {
  return withJson(command)
    .option('--updates <n>', 'stop after this many updates (for scripts)', positiveInt(1_000_000))
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
    await renderWatch(ctx.out, `Portfolio · ${session?.email ?? ''}`, portfolioFeed(client, auth, ctx.now), {
      json: options.json,
      updates: options.updates,
      now: ctx.now,
    });
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

  withExamples(liveOptions(clients.command('watch').description('live book of all your clients')), [
    'tickfolio clients watch',
  ]).action(async (options: LiveOptions) => {
    const client = await ctx.api();
    const auth = await ctx.auth();
    await renderBookWatch(ctx.out, bookFeed(client, auth, ctx.now), {
      json: options.json,
      updates: options.updates,
      now: ctx.now,
    });
  });
}
