import type { Command } from 'commander';
import { toneOfSign } from '../components/tone';
import { usageError } from '../errors';
import { signed, signOf } from '../format/decimal';
import { renderChart, renderJson, renderTable } from '../render';
import { findInstrument } from '../services/lookup';
import type { CommandContext } from './context';
import { positiveInt, withExamples, withJson } from './help';

function day(text: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) throw new Error('expected YYYY-MM-DD');
  return `${text}T00:00:00Z`;
}

/** prices quote SYMBOL…, prices history SYMBOL. */
export function registerPriceCommands(program: Command, ctx: CommandContext): void {
  const prices = withExamples(program.command('prices').description('latest quotes and price history'), [
    'tickfolio prices quote AAPL MSFT SAP.DE',
    'tickfolio prices history AAPL --from 2024-01-01',
  ]);

  withExamples(
    withJson(
      prices.command('quote').description('latest prices').argument('<symbols...>', 'symbols, ISINs or ids'),
    ),
    ['tickfolio prices quote AAPL', 'tickfolio prices quote AAPL MSFT --json'],
  ).action(async (symbols: string[], options: { json?: boolean }) => {
    const client = await ctx.api();
    const instruments = await Promise.all(symbols.map((s) => findInstrument(client, s)));
    const { quotes, missing } = await client.instruments.quote.query({
      instrumentIds: instruments.map((i) => i.id),
    });
    const symbolOf = new Map(instruments.map((i) => [i.id, i.symbol]));
    const named = quotes.map((q) => ({ symbol: symbolOf.get(q.instrumentId) ?? '', ...q }));
    const unpriced = missing.map((id) => symbolOf.get(id) ?? id);
    if (options.json) return renderJson(ctx.out, { quotes: named, missing: unpriced });
    await renderTable(
      ctx.out,
      [
        { header: 'Symbol' },
        { header: 'Price', align: 'right' },
        { header: 'Ccy' },
        { header: 'Change', align: 'right' },
        { header: 'Change %', align: 'right' },
        { header: 'As of' },
        { header: 'Source' },
      ],
      [
        ...named.map((q) => {
          const tone = toneOfSign(signOf(q.change));
          return [
            { text: q.symbol, tone: 'accent' as const },
            q.price,
            q.currency,
            { text: q.change === null ? '' : signed(q.change), tone },
            { text: q.changePercent === null ? '' : signed(q.changePercent), tone },
            q.asOf.replace('T', ' ').slice(0, 16),
            { text: `${q.source} ${q.kind}`, tone: 'muted' as const },
          ];
        }),
        ...unpriced.map((symbol) => [
          { text: symbol, tone: 'accent' as const },
          { text: 'no price yet', tone: 'warn' as const },
        ]),
      ],
    );
  });

  withExamples(
    withJson(
      prices
        .command('history')
        .description('recorded prices as a chart in the terminal')
        .argument('<symbol>', 'symbol, ISIN or id')
        .option('--from <date>', 'from this day (YYYY-MM-DD)')
        .option('--to <date>', 'up to (not including) this day')
        .option('-n, --limit <n>', 'at most this many prices, from the start of the range', positiveInt(5000))
        .option('--height <rows>', 'chart height in rows', positiveInt(40), 10),
    ),
    ['tickfolio prices history AAPL', 'tickfolio prices history INFY.NS --from 2024-01-01 --json'],
  ).action(
    async (
      symbol: string,
      options: { from?: string; to?: string; limit?: number; height: number; json?: boolean },
    ) => {
      const from = options.from === undefined ? undefined : dayOption('--from', options.from);
      const to = options.to === undefined ? undefined : dayOption('--to', options.to);
      const client = await ctx.api();
      const instrument = await findInstrument(client, symbol);
      const history = await client.instruments.history.query({
        instrumentId: instrument.id,
        from,
        to,
        limit: options.limit,
      });
      if (options.json) return renderJson(ctx.out, { symbol: instrument.symbol, ...history });
      await renderChart(ctx.out, {
        title: `${instrument.symbol} · ${instrument.name}`,
        currency: history.currency,
        points: history.points,
        height: options.height,
      });
    },
  );
}

function dayOption(flag: string, text: string): string {
  try {
    return day(text);
  } catch {
    throw usageError(`${flag} wants a day such as 2024-01-31, not "${text}".`);
  }
}
