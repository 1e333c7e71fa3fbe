import type { Command } from 'commander';
import { renderChart, renderHoldings, renderJson, renderLine, renderPortfolio } from '../render';
import { findAccount } from '../services/lookup';
import { calendarDayArg, type RangeOptions, rangeInput } from './argument-parsers';
import type { CommandContext } from './context';
import { positiveInt, withExamples, withJson } from './help';
import { cashLine, incomeLine } from './performance';

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

  // A group whose default is the overview: `portfolio` and `portfolio --json` show it, and the
  // subcommands' own options (`portfolio history --json`) stay theirs.
  const portfolio = withExamples(
    program.command('portfolio').description('the whole portfolio: totals, day change, holdings, allocation'),
    [
      'tickfolio portfolio',
      'tickfolio portfolio --json | jq -r .totals.marketValue',
      'tickfolio portfolio history',
    ],
  );
  withExamples(
    withJson(
      portfolio
        .command('show', { isDefault: true })
        .description('totals, day change, holdings, allocation (the default)'),
    ),
    ['tickfolio portfolio', 'tickfolio portfolio --json | jq -r .totals.marketValue'],
  ).action(async (options: { json?: boolean }) => {
    const client = await ctx.api();
    const [summary, holdings, allocation, performance] = await Promise.all([
      client.portfolio.summary.query(),
      client.portfolio.holdings.query(),
      client.portfolio.allocation.query(),
      // Cash and income come from the performance analytics (the valuation has neither).
      client.portfolio.performance.query(),
    ]);
    const income = performance.periods.find((p) => p.key === 'MAX')?.gain.income ?? '0';
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
        cash: performance.cash,
        income: { currency: performance.currency, sinceInception: income },
      });
    }
    await renderPortfolio(ctx.out, { summary, holdings, allocation });
    await renderLine(ctx.out, cashLine(performance));
    await renderLine(ctx.out, incomeLine(performance));
  });

  withExamples(
    withJson(
      portfolio
        .command('history')
        .description(
          "your portfolio's value over time, as a chart: each day's close since your first transaction, then today's valuations",
        )
        .option('--from <date>', 'from this day (YYYY-MM-DD)', calendarDayArg)
        .option('--to <date>', 'up to (not including) this day, after --from', calendarDayArg)
        .option('-n, --limit <n>', 'at most this many points, the newest (1-500)', positiveInt(500))
        .option('--height <rows>', 'chart height in rows', positiveInt(40), 10),
    ),
    [
      'tickfolio portfolio history',
      'tickfolio portfolio history --from 2026-01-01 --json | jq ".points | length"',
    ],
  ).action(async (options: RangeOptions & { height: number; json?: boolean }) => {
    const range = rangeInput(options);
    const client = await ctx.api();
    const history = await client.portfolio.history.query({ ...range, limit: options.limit, newest: true });
    if (options.json) return renderJson(ctx.out, history);
    const last = history.points.at(-1);
    await renderChart(ctx.out, {
      title: 'Portfolio value',
      currency: last?.currency ?? '',
      points: history.points.map((p) => ({ asOf: p.takenAt, price: p.marketValue })),
      height: options.height,
    });
  });
}
