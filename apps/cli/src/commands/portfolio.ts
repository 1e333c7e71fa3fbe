import type { Command } from 'commander';
import { renderHoldings, renderJson, renderPortfolio } from '../render';
import { findAccount } from '../services/lookup';
import type { CommandContext } from './context';
import { withExamples, withJson } from './help';

/** holdings, portfolio. */
export function registerPortfolioCommands(program: Command, ctx: CommandContext): void {
  withExamples(
    withJson(
      program
        .command('holdings')
        .description('valued holdings (value, day change and gain in your base currency)')
        .option('-a, --account <account>', 'only this account (name or id)'),
    ),
    ['tickfolio holdings', 'tickfolio holdings --account Brokerage --json'],
  ).action(async (options: { account?: string; json?: boolean }) => {
    const client = await ctx.api();
    const accountId = options.account ? (await findAccount(client, options.account)).id : undefined;
    const holdings = await client.portfolio.holdings.query(accountId ? { accountId } : undefined);
    if (options.json) return renderJson(ctx.out, holdings);
    await renderHoldings(ctx.out, holdings);
  });

  withExamples(
    withJson(
      program
        .command('portfolio')
        .description('the whole portfolio: totals, day change, holdings, allocation'),
    ),
    ['tickfolio portfolio', 'tickfolio portfolio --json | jq -r .totals.marketValue'],
  ).action(async (options: { json?: boolean }) => {
    const client = await ctx.api();
    const [summary, holdings, allocation] = await Promise.all([
      client.portfolio.summary.query(),
      client.portfolio.holdings.query(),
      client.portfolio.allocation.query(),
    ]);
    if (options.json) {
      return renderJson(ctx.out, {
        ownerId: summary.ownerId,
        currency: summary.currency,
        computedAt: summary.computedAt,
        asOf: summary.asOf,
        totals: summary.totals,
        accounts: summary.accounts,
        holdings: holdings.holdings,
        allocation: {
          byAssetClass: allocation.byAssetClass,
          byCurrency: allocation.byCurrency,
          byAccount: allocation.byAccount,
        },
        missing: summary.missing,
      });
    }
    await renderPortfolio(ctx.out, { summary, holdings, allocation });
  });
}
