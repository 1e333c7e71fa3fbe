import type { Command } from 'commander';
import { toneOfSign } from '../components/tone';
import { CliError, EXIT } from '../errors';
import { signed, signOf } from '../format/decimal';
import { timestamp } from '../format/timestamp';
import { renderChart, renderJson, renderTable } from '../render';
import { write } from '../render/output';
import { findInstrument, matchInstrument, unknownSymbolHint } from '../services/lookup';
import { calendarDayArg, rangeInput } from './argument-parsers';
import type { CommandContext } from './context';
import { positiveInt, withExamples, withJson } from './help';

const QUOTE_COLUMNS = [
  { header: 'Symbol', shrinkTo: 8 },
  { header: 'Price', align: 'right' },
  { header: 'Ccy' },
  { header: 'Change', align: 'right', drop: 2 },
  { header: 'Change %', short: 'Chg %', align: 'right', drop: 3 },
  { header: 'As of', drop: 4 },
  { header: 'Source', shrinkTo: 8, drop: 5 },
] as const;

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
    // Each symbol on its own: one the catalogue lacks is reported on its row, not fatal to the rest.
    const matches = await Promise.all(symbols.map((s) => matchInstrument(client, s)));
    const instruments = matches.flatMap((m) => (m.instrument ? [m.instrument] : []));
    const unknown = matches.flatMap((m) => (m.instrument ? [] : [m]));
    const { quotes, missing } =
      instruments.length > 0
        ? await client.instruments.quote.query({ instrumentIds: instruments.map((i) => i.id) })
        : { quotes: [], missing: [] };
    const symbolOf = new Map(instruments.map((i) => [i.id, i.symbol]));
    const named = quotes.map((q) => ({ symbol: symbolOf.get(q.instrumentId) ?? '', ...q }));
    const unpriced = missing.map((id) => symbolOf.get(id) ?? id);
    if (options.json) {
      await renderJson(ctx.out, { quotes: named, missing: [...unpriced, ...unknown.map((u) => u.ref)] });
    } else {
      await renderTable(ctx.out, QUOTE_COLUMNS, [
        ...named.map((q) => {
          const tone = toneOfSign(signOf(q.change));
          return [
            { text: q.symbol, tone: 'accent' as const },
            q.price,
            q.currency,
            { text: q.change === null ? '' : signed(q.change), tone },
            { text: q.changePercent === null ? '' : signed(q.changePercent), tone },
            timestamp(q.asOf),
            { text: `${q.source} ${q.kind}`, tone: 'muted' as const },
          ];
        }),
        ...unpriced.map((symbol) => [
          { text: symbol, tone: 'accent' as const },
          { text: 'no price yet', tone: 'warn' as const },
        ]),
        ...unknown.map((u) => [
          { text: u.ref, tone: 'accent' as const },
          { text: 'unknown symbol', tone: 'warn' as const },
        ]),
      ]);
    }
    for (const u of unknown) {
      await write(
        ctx.out.stderr,
        `No instrument with the symbol "${u.ref}". ${unknownSymbolHint(u.suggestions)}\n`,
      );
    }
    // Some quoted: the command did its work. None of the symbols known: nothing was.
    if (instruments.length === 0)
      throw new CliError('None of the symbols is in the catalogue.', EXIT.error, undefined, [], true);
  });

  withExamples(
    withJson(
      prices
        .command('history')
        .description('recorded prices as a chart in the terminal')
        .argument('<symbol>', 'symbol, ISIN or id')
        .option('--from <date>', 'from this day (YYYY-MM-DD)', calendarDayArg)
        .option('--to <date>', 'up to (not including) this day, after --from', calendarDayArg)
        .option('-n, --limit <n>', 'at most this many prices, the newest in the range', positiveInt(5000))
        .option('--height <rows>', 'chart height in rows', positiveInt(40), 10),
    ),
    ['tickfolio prices history AAPL', 'tickfolio prices history SAP.DE --from 2024-01-01 --json'],
  ).action(
    async (
      symbol: string,
      options: { from?: string; to?: string; limit?: number; height: number; json?: boolean },
    ) => {
      const range = rangeInput(options);
      const client = await ctx.api();
      const instrument = await findInstrument(client, symbol);
      const history = await client.instruments.history.query({
        instrumentId: instrument.id,
        ...range,
        limit: options.limit,
        newest: true,
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
