import { COST_BASIS_METHODS, type CostBasisMethod } from '@tickfolio/core';
import type { Command } from 'commander';
import type { Account, CurrencyCode } from '../api/types';
import { day } from '../format/timestamp';
import { renderJson, renderLine, renderTable } from '../render';
import { findAccount } from '../services/lookup';
import type { CommandContext } from './context';
import { oneOf, withExamples, withJson } from './help';

const currency = (text: string) => text.trim().toUpperCase();

/** How the accounts listing names a cost-basis method. */
export function methodLabel(method: CostBasisMethod): string {
  return method === 'fifo' ? 'FIFO' : 'average';
}

function accountRows(accounts: readonly Account[]) {
  return accounts.map((a) => [
    { text: a.name, tone: 'accent' as const },
    a.baseCurrency,
    methodLabel(a.costBasisMethod),
    a.closedAt === null ? 'open' : { text: `closed ${day(a.closedAt)}`, tone: 'muted' as const },
    { text: a.id, tone: 'muted' as const },
  ]);
}

/** accounts list|add|rename|close. */
export function registerAccountCommands(program: Command, ctx: CommandContext): void {
  const accounts = withExamples(
    program.command('accounts').description('your accounts: list, add, rename, set-method, close'),
    [
      'tickfolio accounts list',
      'tickfolio accounts add "Brokerage" --currency USD',
      'tickfolio accounts rename "Brokerage" "US brokerage"',
      'tickfolio accounts set-method "US brokerage" fifo',
      'tickfolio accounts close "US brokerage"',
    ],
  );

  withExamples(
    withJson(
      accounts
        .command('list')
        .description('list your accounts')
        .option('-a, --all', 'include closed accounts'),
    ),
    ['tickfolio accounts list --all', 'tickfolio accounts list --json | jq -r ".[].name"'],
  ).action(async (options: { all?: boolean; json?: boolean }) => {
    const client = await ctx.api();
    const list = await client.accounts.list.query({ includeClosed: options.all === true });
    if (options.json) return renderJson(ctx.out, list);
    await renderTable(
      ctx.out,
      [
        { header: 'Name', shrinkTo: 12 },
        { header: 'Base' },
        { header: 'Cost basis', short: 'Cost', drop: 2 },
        { header: 'State' },
        { header: 'Id', drop: 1 },
      ],
      accountRows(list),
      'No accounts yet. Create one with `tickfolio accounts add NAME --currency USD`.',
    );
  });

  withExamples(
    accounts
      .command('add')
      .description('open an account')
      .argument('<name>', 'a name of your choice')
      .requiredOption('-c, --currency <code>', 'the account base currency, e.g. USD, EUR, GBP, INR', currency)
      .option('--json', 'print the new account as JSON'),
    ['tickfolio accounts add "ISA" --currency GBP'],
  ).action(async (name: string, options: { currency: string; json?: boolean }) => {
    const client = await ctx.api();
    const account = await client.accounts.create.mutate({
      name,
      baseCurrency: options.currency as CurrencyCode,
    });
    if (options.json) return renderJson(ctx.out, account);
    await renderLine(
      ctx.out,
      `Opened account "${account.name}" (${account.baseCurrency}), id ${account.id}.`,
    );
  });

  withExamples(
    accounts
      .command('rename')
      .description('rename an account')
      .argument('<account>', 'the account name or id')
      .argument('<new-name>', 'the new name'),
    ['tickfolio accounts rename ISA "Stocks & shares ISA"'],
  ).action(async (ref: string, name: string) => {
    const client = await ctx.api();
    const account = await findAccount(client, ref);
    const renamed = await client.accounts.rename.mutate({ accountId: account.id, name });
    await renderLine(ctx.out, `Renamed "${account.name}" to "${renamed.name}".`);
  });

  withExamples(
    accounts
      .command('set-method')
      .description(
        "choose how the account's holdings cost what they sell: average (the average cost of the units held, the default) or fifo (the oldest lots first); cost basis, unrealized and realized gains follow at once",
      )
      .argument('<account>', 'the account name or id')
      .argument('<method>', COST_BASIS_METHODS.join(' | '), oneOf(COST_BASIS_METHODS))
      .option('--json', 'print the changed account as JSON'),
    ['tickfolio accounts set-method ISA fifo', 'tickfolio accounts set-method ISA average --json'],
  ).action(async (ref: string, method: CostBasisMethod, options: { json?: boolean }) => {
    const client = await ctx.api();
    const account = await findAccount(client, ref);
    const changed = await client.accounts.setCostBasisMethod.mutate({ accountId: account.id, method });
    if (options.json) return renderJson(ctx.out, changed);
    await renderLine(
      ctx.out,
      account.costBasisMethod === method
        ? `"${changed.name}" already uses ${methodLabel(method)} cost basis.`
        : `"${changed.name}" now uses ${methodLabel(method)} cost basis (was ${methodLabel(account.costBasisMethod)}).`,
    );
  });

  withExamples(
    accounts
      .command('close')
      .description('close an account (it must hold no positions)')
      .argument('<account>', 'the account name or id'),
    ['tickfolio accounts close ISA'],
  ).action(async (ref: string) => {
    const client = await ctx.api();
    const account = await findAccount(client, ref);
    await client.accounts.close.mutate({ accountId: account.id });
    await renderLine(ctx.out, `Closed "${account.name}".`);
  });
}
