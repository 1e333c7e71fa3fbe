import type { Command } from 'commander';
import type { InboxNotification } from '../api/types';
import { usageError } from '../errors';
import { timestamp } from '../format/timestamp';
import { renderJson, renderLine, renderTable } from '../render';
import type { CommandContext } from './context';
import { positiveInt, withExamples, withJson } from './help';

function notificationRows(list: readonly InboxNotification[]) {
  return list.map((n) => [
    { text: timestamp(n.createdAt, 'seconds'), tone: 'muted' as const },
    { text: n.message, tone: n.readAt === null ? ('strong' as const) : ('plain' as const) },
    n.readAt === null ? { text: 'new', tone: 'accent' as const } : { text: 'read', tone: 'muted' as const },
    { text: n.id, tone: 'muted' as const },
  ]);
}

/** notifications list|read. */
export function registerNotificationCommands(program: Command, ctx: CommandContext): void {
  const notifications = withExamples(
    program.command('notifications').description('your inbox: what your alert rules noticed'),
    ['tickfolio notifications', 'tickfolio notifications read --all'],
  );

  withExamples(
    withJson(
      notifications
        .command('list', { isDefault: true })
        .description('newest first')
        .option('-u, --unread', 'only those not read yet')
        .option('-n, --limit <n>', 'how many (default 20)', positiveInt(200)),
    ),
    ['tickfolio notifications list --unread', 'tickfolio notifications --json | jq -r ".[].message"'],
  ).action(async (options: { unread?: boolean; limit?: number; json?: boolean }) => {
    const client = await ctx.api();
    const list = await client.notifications.list.query({
      unreadOnly: options.unread === true,
      limit: options.limit ?? 20,
    });
    if (options.json) return renderJson(ctx.out, list);
    await renderTable(
      ctx.out,
      [
        { header: 'When', drop: 2 },
        { header: 'Notification', shrinkTo: 24 },
        { header: 'State' },
        { header: 'Id', drop: 1 },
      ],
      notificationRows(list),
      options.unread ? 'Nothing unread.' : 'No notifications yet. Add a rule with `tickfolio alerts add`.',
    );
  });

  withExamples(
    notifications
      .command('read')
      .description('mark a notification read, or all of them')
      .argument('[id]', 'the notification id (notifications list shows it)')
      .option('-a, --all', 'every unread notification'),
    ['tickfolio notifications read 3b1f…', 'tickfolio notifications read --all'],
  ).action(async (id: string | undefined, options: { all?: boolean }) => {
    const client = await ctx.api();
    if (!id && !options.all) throw usageError('No notification given.', 'Give its id, or --all.');
    const { marked } = await client.notifications.markRead.mutate(options.all ? { all: true } : { id: id! });
    await renderLine(
      ctx.out,
      marked === 1 ? 'Marked 1 notification read.' : `Marked ${marked} notifications read.`,
    );
  });
}
