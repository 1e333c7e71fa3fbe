import type { Command } from 'commander';
import type { ApiClient } from '../api/client';
import type { Performance } from '../api/types';
import { usageError } from '../errors';
import { formatAmount, formatChange } from '../format/money';
import { formatRatePercent } from '../format/rate';
import { renderJson, renderLine, renderTable } from '../render';
import { findAccount, findInstrument } from '../services/lookup';
import { calendarDayArg } from './argument-parsers';
import type { CommandContext } from './context';
import { withExamples, withJson } from './help';

/** The cash line: each currency's balance, as `tickfolio portfolio` and `performance` print it. */
export function cashLine(performance: Performance): string {
  const parts = performance.cash.map((c) => `${c.currency} ${formatAmount(c.amount, c.currency)}`);
  return `Cash: ${parts.length > 0 ? parts.join(' · ') : 'none'}`;
}

/** Income (dividends and interest) since the first transaction, in the portfolio's currency. */
export function incomeLine(performance: Performance): string {
  const max = performance.periods.find((p) => p.key === 'MAX');
  const income = max ? formatAmount(max.gain.income, performance.currency) : '0';
  return `Income since inception: ${performance.currency} ${income}`;
}

async function accountIdOf(client: ApiClient, ref: string | undefined): Promise<string | undefined> {
  return ref === undefined ? undefined : (await findAccount(client, ref)).id;
}

/** performance, lots. */
export function registerPerformanceCommands(program: Command, ctx: CommandContext): void {
  withExamples(
    withJson(
      program
        .command('performance')
        .description(
          'returns for 1D 1W MTD YTD 1Y 3Y 5Y and since inception: time-weighted (TWR) and money-weighted (MWR, the IRR; both p.a. from a year on), gain and income',
        )
        .option('-a, --account <account>', 'only this account (name or id)')
        .option(
          '-H, --holding <symbol>',
          'only this holding, measured on its own: its buys flow in, its sales and dividends out',
        )
        .option('--as-of <date>', 'up to this day (YYYY-MM-DD; default today)', calendarDayArg)
        .option('--from <date>', 'also a custom period from this day (YYYY-MM-DD)', calendarDayArg)
        .option('-b, --benchmark <symbol>', 'compare with this instrument (e.g. an index ETF)'),
    ),
    [
      'tickfolio performance',
      'tickfolio performance --benchmark VWCE.DE',
      'tickfolio performance --holding AAPL --account Brokerage',
      'tickfolio performance --json | jq -r \'.periods[] | select(.key=="YTD") | .timeWeighted.cumulative\'',
    ],
  ).action(
    async (options: {
      account?: string;
      holding?: string;
      asOf?: string;
      from?: string;
      benchmark?: string;
      json?: boolean;
    }) => {
      const today = new Date().toISOString().slice(0, 10);
      if (options.from !== undefined && options.from > (options.asOf ?? today)) {
        throw usageError(
          `--from (${options.from}) must not come after --as-of (${options.asOf ?? 'today'}).`,
        );
      }
      const client = await ctx.api();
      const [accountId, holding, benchmark] = await Promise.all([
        accountIdOf(client, options.account),
        options.holding === undefined ? undefined : findInstrument(client, options.holding),
        options.benchmark === undefined ? undefined : findInstrument(client, options.benchmark),
      ]);
      const answer = await client.portfolio.performance.query({
        ...(accountId ? { accountId } : {}),
        ...(holding ? { instrumentId: holding.id } : {}),
        ...(options.asOf ? { asOf: options.asOf } : {}),
        ...(options.from ? { from: options.from } : {}),
        ...(benchmark ? { benchmarkId: benchmark.id } : {}),
      });
      if (options.json) return renderJson(ctx.out, answer);
      const c = answer.currency;
      await renderLine(
        ctx.out,
        `Performance${answer.holding ? ` of ${answer.holding.symbol}` : ''} in ${c}, as of ${answer.asOf}${answer.inception ? ` (since ${answer.inception})` : ''}`,
      );
      await renderTable(
        ctx.out,
        [
          { header: 'Period' },
          { header: 'From', drop: 3 },
          { header: 'TWR' },
          { header: 'TWR p.a.', short: 'p.a.', drop: 2 },
          { header: 'MWR' },
          { header: 'MWR p.a.', short: 'p.a.', drop: 2 },
          { header: `Gain ${c}`, short: 'Gain' },
          { header: `Income ${c}`, short: 'Income', drop: 1 },
          ...(answer.benchmark ? [{ header: answer.benchmark.symbol, shrinkTo: 6, drop: 4 }] : []),
        ],
        answer.periods.map((p) => [
          p.key === 'CUSTOM' ? 'custom' : p.key,
          `${p.from}${p.clamped ? '*' : ''}`,
          formatRatePercent(p.timeWeighted.cumulative),
          formatRatePercent(p.timeWeighted.annualized),
          // Like the TWR: the period's own return, and per year only from a year on (an IRR is a yearly
          // rate, so a day's -0.02 % would otherwise read as -7 % p.a.). Several roots: none is chosen.
          ...(p.moneyWeighted.status === 'multiple'
            ? ['several', '']
            : [formatRatePercent(p.moneyWeighted.cumulative), formatRatePercent(p.moneyWeighted.annualized)]),
          formatChange(p.gain.gain, c),
          formatAmount(p.gain.income, c),
          ...(answer.benchmark ? [formatRatePercent(p.benchmark?.cumulative)] : []),
        ]),
      );
      // A holding keeps no cash: what it pays out leaves it (docs/performance.md).
      if (!answer.holding) await renderLine(ctx.out, cashLine(answer));
      if (answer.periods.some((p) => p.clamped)) {
        await renderLine(ctx.out, '* the period began before your first transaction: measured from there');
      }
      if (answer.missing.prices.length > 0 || answer.missing.fxPairs.length > 0) {
        await renderLine(
          ctx.out,
          `Valued at 0 for want of data: ${[...answer.missing.prices, ...answer.missing.fxPairs].join(', ')}`,
        );
      }
    },
  );

  withExamples(
    withJson(
      program
        .command('lots')
        .description('open tax lots, first in first out: what each unit held cost and when it was bought')
        .option('-a, --account <account>', 'only this account (name or id)'),
    ),
    ['tickfolio lots', 'tickfolio lots --account Brokerage --json'],
  ).action(async (options: { account?: string; json?: boolean }) => {
    const client = await ctx.api();
    const accountId = await accountIdOf(client, options.account);
    const answer = await client.portfolio.lots.query(accountId ? { accountId } : undefined);
    if (options.json) return renderJson(ctx.out, answer);
    await renderTable(
      ctx.out,
      [
        { header: 'Symbol', shrinkTo: 8 },
        { header: 'Acquired' },
        { header: 'Quantity' },
        { header: 'Cost' },
        { header: 'Currency', short: 'Cur', drop: 1 },
      ],
      answer.lots.map((l) => [
        l.symbol,
        l.acquired.slice(0, 10),
        l.quantity,
        formatAmount(l.cost, l.currency),
        l.currency,
      ]),
      'No open lots.',
    );
  });
}
