import type { Command } from 'commander';
import { CliError, EXIT } from '../errors';
import { timestamp } from '../format/timestamp';
import { renderJson, renderLine, renderTable } from '../render';
import { write } from '../render/output';
import { findUser } from '../services/lookup';
import type { CommandContext } from './context';
import { oneOf, positiveInt, withExamples, withJson } from './help';

/** What an API client may be granted (the server's SERVICE_SCOPES). */
const SCOPES = ['portfolio:read', 'portfolio:write', 'instruments:read'] as const;
type Scope = (typeof SCOPES)[number];

const collect = (value: Scope, previous: Scope[] = []) => [...previous, value];

/** admin audit, admin clients …, admin dlq … (admins only). */
export function registerAdminServiceCommands(admin: Command, ctx: CommandContext): void {
  withExamples(
    withJson(
      admin
        .command('audit')
        .description('the audit log, newest first: who changed what, and when')
        .option(
          '--entity <entity>',
          'only this kind of thing: user, account, transaction, instrument, api_client…',
        )
        .option('--entity-id <id>', 'only this one (with --entity)')
        .option('--actor <user>', 'only what this person did (email or id)')
        .option('-n, --limit <n>', 'how many (1-200)', positiveInt(200), 50)
        .option('--cursor <id>', 'continue below this entry (from the "More:" line)'),
    ),
    [
      'tickfolio admin audit',
      'tickfolio admin audit --actor admin@demo.tickfolio.dev --limit 20',
      'tickfolio admin audit --entity api_client --json',
    ],
  ).action(
    async (options: {
      entity?: string;
      entityId?: string;
      actor?: string;
      limit: number;
      cursor?: string;
      json?: boolean;
    }) => {
      const client = await ctx.api();
      const actor = options.actor ? await findUser(client, options.actor) : undefined;
      const page = await client.admin.audit.list.query({
        entity: options.entity,
        entityId: options.entityId,
        actorId: actor?.id,
        limit: options.limit,
        cursor: options.cursor,
      });
      if (options.json) return renderJson(ctx.out, page);
      // The people named, once each (a page names few).
      const actorIds = [...new Set(page.items.flatMap((e) => (e.actorId ? [e.actorId] : [])))];
      const people = await Promise.all(
        actorIds.map((id) => client.admin.users.get.query({ userId: id }).catch(() => undefined)),
      );
      const emailOf = new Map(actorIds.map((id, i) => [id, people[i]?.email ?? id]));
      await renderTable(
        ctx.out,
        [
          { header: 'When' },
          { header: 'Actor', shrinkTo: 12 },
          { header: 'Action', shrinkTo: 12 },
          { header: 'Entity', drop: 2 },
          { header: 'Entity id', short: 'Id', shrinkTo: 8, drop: 1 },
        ],
        page.items.map((e) => [
          timestamp(e.at),
          e.actorId ? (emailOf.get(e.actorId) ?? e.actorId) : { text: 'system', tone: 'muted' as const },
          { text: e.action, tone: 'accent' as const },
          e.entity,
          { text: e.entityId ?? '', tone: 'muted' as const },
        ]),
        'No audit entries match.',
      );
      if (page.nextCursor) {
        // The same filters, continued below the last entry shown.
        const kept = [
          options.entity ? `--entity ${options.entity}` : '',
          options.entityId ? `--entity-id ${options.entityId}` : '',
          options.actor ? `--actor ${options.actor}` : '',
          `--limit ${options.limit}`,
        ].filter(Boolean);
        await renderLine(
          ctx.out,
          `More: tickfolio admin audit ${kept.join(' ')} --cursor ${page.nextCursor}`,
        );
      }
    },
  );

  const clients = withExamples(
    admin.command('clients').description('API clients: service credentials for other programs'),
    [
      'tickfolio admin clients create "Reporting job" --scope portfolio:read --scope instruments:read',
      'tickfolio admin clients list',
    ],
  );

  withExamples(withJson(clients.command('list').description('every API client')), [
    'tickfolio admin clients list --json',
  ]).action(async (options: { json?: boolean }) => {
    const client = await ctx.api();
    const { items } = await client.admin.apiClients.list.query();
    if (options.json) return renderJson(ctx.out, items);
    await renderTable(
      ctx.out,
      [
        { header: 'Client id', shrinkTo: 12 },
        { header: 'Name', shrinkTo: 10 },
        { header: 'Scopes', shrinkTo: 14, drop: 2 },
        { header: 'State' },
        { header: 'Created', drop: 1 },
      ],
      items.map((c) => [
        { text: c.clientId, tone: 'accent' as const },
        c.name,
        c.scopes.join(' '),
        c.disabled ? { text: 'revoked', tone: 'warn' as const } : 'active',
        timestamp(c.createdAt),
      ]),
      'No API clients yet; create one with `tickfolio admin clients create`.',
    );
  });

  withExamples(
    withJson(
      clients
        .command('create')
        .description('create an API client; its secret is shown this once')
        .argument('<name>', 'what it is for')
        .requiredOption(
          '-s, --scope <scope>',
          `a scope to grant, repeatable: ${SCOPES.join(' | ')}`,
          (value: string, previous?: Scope[]) => collect(oneOf(SCOPES)(value), previous),
        ),
    ),
    ['tickfolio admin clients create "Nightly export" -s portfolio:read -s instruments:read'],
  ).action(async (name: string, options: { scope: Scope[]; json?: boolean }) => {
    const client = await ctx.api();
    const created = await client.admin.apiClients.create.mutate({
      name,
      scopes: [...new Set(options.scope)],
    });
    if (options.json) return renderJson(ctx.out, created);
    await renderLine(
      ctx.out,
      `Created the API client "${created.name}" (${created.scopes.join(', ')}).\nclient id:     ${created.clientId}\nclient secret: ${created.clientSecret}`,
    );
    await write(ctx.out.stderr, 'Keep the secret now: it is not shown again.\n');
  });

  withExamples(
    clients
      .command('revoke')
      .description('revoke an API client: its tokens stop working at once')
      .argument('<client-id>', 'its client id (see `admin clients list`)'),
    ['tickfolio admin clients revoke svc_4f2a…'],
  ).action(async (clientId: string) => {
    const client = await ctx.api();
    const revoked = await client.admin.apiClients.disable.mutate({ clientId });
    await renderLine(ctx.out, `Revoked the API client "${revoked.name}" (${revoked.clientId}).`);
  });

  const dlq = withExamples(
    admin.command('dlq').description('the dead-letter queue: price messages the valuer gave up on'),
    ['tickfolio admin dlq list', 'tickfolio admin dlq replay 12'],
  );

  withExamples(
    withJson(
      dlq
        .command('list')
        .description('the messages waiting, oldest first')
        .option('-n, --limit <n>', 'how many (1-500)', positiveInt(500), 50),
    ),
    ['tickfolio admin dlq list --json'],
  ).action(async (options: { limit: number; json?: boolean }) => {
    const client = await ctx.api();
    const { items } = await client.admin.dlq.list.query({ limit: options.limit });
    if (options.json) return renderJson(ctx.out, items);
    await renderTable(
      ctx.out,
      [
        { header: 'Seq', align: 'right' },
        { header: 'Failed at' },
        { header: 'Subject', shrinkTo: 12, drop: 2 },
        { header: 'Tries', align: 'right', drop: 1 },
        { header: 'Reason', shrinkTo: 16 },
      ],
      items.map((d) => [
        { text: String(d.seq), tone: 'accent' as const },
        timestamp(d.failedAt),
        d.subject,
        String(d.deliveries),
        d.reason,
      ]),
      'The dead-letter queue is empty.',
    );
  });

  withExamples(
    dlq
      .command('replay')
      .description('send a message back to the valuer and take it off the queue')
      .argument('<seq>', 'its Seq in `admin dlq list`', positiveInt(Number.MAX_SAFE_INTEGER)),
    ['tickfolio admin dlq replay 12'],
  ).action(async (seq: number) => {
    const client = await ctx.api();
    const { replayed } = await client.admin.dlq.replay.mutate({ seq });
    if (!replayed) {
      throw new CliError(
        `No message ${seq} in the dead-letter queue.`,
        EXIT.error,
        'It may have been replayed already; see `tickfolio admin dlq list`.',
      );
    }
    await renderLine(ctx.out, `Replayed message ${seq}: the valuer has it again.`);
  });
}
