import type { Command } from 'commander';
import type { User } from '../api/types';
import { day } from '../format/timestamp';
import { renderJson, renderLine, renderTable } from '../render';
import { findUser } from '../services/lookup';
import { registerAdminServiceCommands } from './admin-services';
import type { CommandContext } from './context';
import { oneOf, positiveInt, withExamples, withJson } from './help';

const ROLES = ['investor', 'advisor', 'admin'] as const;
type Role = (typeof ROLES)[number];

function userRows(users: readonly User[]) {
  return users.map((u) => [
    { text: u.email, tone: 'accent' as const },
    u.displayName,
    u.role,
    u.baseCurrency,
    u.disabled ? { text: 'disabled', tone: 'warn' as const } : 'active',
    { text: u.id, tone: 'muted' as const },
  ]);
}

const USER_COLUMNS = [
  { header: 'Email', shrinkTo: 16 },
  { header: 'Name', shrinkTo: 10, drop: 2 },
  { header: 'Role' },
  { header: 'Base', drop: 3 },
  { header: 'State' },
  { header: 'Id', drop: 4 },
];

/** admin users …, admin assignments … (admins only; others are told these do not exist). */
export function registerAdminCommands(program: Command, ctx: CommandContext): void {
  const admin = withExamples(
    program
      .command('admin')
      .description('administration: users, roles, advisor assignments, audit log, API clients, dead letters'),
    [
      'tickfolio admin users list --role advisor',
      'tickfolio admin users set-role someone@example.com advisor',
      'tickfolio admin assignments add advisor1@demo.tickfolio.dev investor7@demo.tickfolio.dev',
    ],
  );
  const users = admin.command('users').description('list users, change roles, disable and enable');

  withExamples(
    withJson(
      users
        .command('list')
        .description('list users')
        .option('-q, --query <text>', 'email or name contains')
        .option('-r, --role <role>', ROLES.join(' | '), oneOf(ROLES))
        .option('-n, --limit <n>', 'how many (1-200)', positiveInt(200), 50)
        .option('--offset <n>', 'skip this many', (t) => Number.parseInt(t, 10)),
    ),
    ['tickfolio admin users list --query demo --role advisor', 'tickfolio admin users list --json'],
  ).action(
    async (options: { query?: string; role?: Role; limit: number; offset?: number; json?: boolean }) => {
      const client = await ctx.api();
      const page = await client.admin.users.list.query({
        query: options.query,
        role: options.role,
        limit: options.limit,
        offset: options.offset,
      });
      if (options.json) return renderJson(ctx.out, page);
      await renderTable(ctx.out, USER_COLUMNS, userRows(page.items), 'No users match.');
      if (page.total > page.items.length) {
        await renderLine(
          ctx.out,
          `${page.items.length} of ${page.total} shown; use --offset and --limit for more.`,
        );
      }
    },
  );

  withExamples(
    users
      .command('set-role')
      .description("change a user's role (leaving a role removes the assignments it held)")
      .argument('<user>', 'email or id')
      .argument('<role>', ROLES.join(' | '), oneOf(ROLES)),
    ['tickfolio admin users set-role someone@example.com advisor'],
  ).action(async (ref: string, role: Role) => {
    const client = await ctx.api();
    const user = await findUser(client, ref);
    const updated = await client.admin.users.setRole.mutate({ userId: user.id, role });
    await renderLine(ctx.out, `${updated.email} now has the role ${updated.role}.`);
  });

  for (const [name, verb] of [
    ['disable', 'disabled'],
    ['enable', 'enabled'],
  ] as const) {
    withExamples(
      users
        .command(name)
        .description(
          name === 'disable' ? 'disable a user (their sessions end at once)' : 'enable a disabled user',
        )
        .argument('<user>', 'email or id'),
      [`tickfolio admin users ${name} someone@example.com`],
    ).action(async (ref: string) => {
      const client = await ctx.api();
      const user = await findUser(client, ref);
      await client.admin.users[name].mutate({ userId: user.id });
      await renderLine(ctx.out, `${user.email} is ${verb}.`);
    });
  }

  const assignments = admin.command('assignments').description('which advisor looks after which client');

  withExamples(
    withJson(
      assignments
        .command('list')
        .description('list assignments')
        .option('--advisor <user>', "only this advisor's clients (email or id)"),
    ),
    ['tickfolio admin assignments list --advisor advisor1@demo.tickfolio.dev'],
  ).action(async (options: { advisor?: string; json?: boolean }) => {
    const client = await ctx.api();
    const advisor = options.advisor ? await findUser(client, options.advisor) : undefined;
    // One call with both people named (not a user lookup per row: hundreds of them for all advisors).
    const { items } = await client.admin.assignments.listWithPeople.query({ advisorId: advisor?.id });
    const rows = items.map((a) => ({
      advisorId: a.advisor.id,
      clientId: a.client.id,
      createdAt: a.createdAt,
      advisorEmail: a.advisor.email,
      clientEmail: a.client.email,
    }));
    if (options.json) return renderJson(ctx.out, rows);
    await renderTable(
      ctx.out,
      [
        { header: 'Advisor', shrinkTo: 16 },
        { header: 'Client', shrinkTo: 16 },
        { header: 'Since', drop: 1 },
      ],
      rows.map((a) => [a.advisorEmail ?? a.advisorId, a.clientEmail ?? a.clientId, day(a.createdAt)]),
      'No assignments.',
    );
  });

  for (const name of ['add', 'remove'] as const) {
    withExamples(
      assignments
        .command(name)
        .description(name === 'add' ? 'assign a client to an advisor' : 'remove an assignment')
        .argument('<advisor>', 'email or id')
        .argument('<client>', 'email or id'),
      [`tickfolio admin assignments ${name} advisor1@demo.tickfolio.dev investor7@demo.tickfolio.dev`],
    ).action(async (advisorRef: string, clientRef: string) => {
      const client = await ctx.api();
      const [advisor, person] = await Promise.all([
        findUser(client, advisorRef),
        findUser(client, clientRef),
      ]);
      const input = { advisorId: advisor.id, clientId: person.id };
      const changed =
        name === 'add'
          ? (await client.admin.assignments.add.mutate(input)).added
          : (await client.admin.assignments.remove.mutate(input)).removed;
      const what = name === 'add' ? 'now advises' : 'no longer advises';
      await renderLine(
        ctx.out,
        changed
          ? `${advisor.email} ${what} ${person.email}.`
          : `Nothing changed: ${advisor.email} ${what} ${person.email} already.`,
      );
    });
  }
  registerAdminServiceCommands(admin, ctx);
}
