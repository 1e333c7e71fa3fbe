import type { Command } from 'commander';
import type { Instrument, InstrumentRequestAnswer, LookupAnswer, LookupResult } from '../api/types';
import { apiErrorCode } from '../errors';
import { renderJson, renderLine, renderTable } from '../render';
import { write } from '../render/output';
import type { CommandContext } from './context';
import { positiveInt, withExamples, withJson } from './help';

/** A catalogue instrument in a lookup's shape: the catalogue's own answer when no source can be asked. */
function catalogueResult(i: Instrument): LookupResult {
  return {
    instrumentId: i.id,
    symbol: i.symbol,
    name: i.name,
    exchange: i.exchange,
    currency: i.currency,
    assetClass: i.assetClass,
    isin: i.isin,
    amfiCode: i.amfiCode,
    sources: i.sources,
    source: null,
    sourceSymbol: null,
  };
}

/** What `instruments add` did, as one sentence. */
export function requestSentence(answer: InstrumentRequestAnswer, source: string, symbol: string): string {
  if (answer.outcome === 'pending') {
    return `Asked for ${symbol} at ${source}: the request waits for an admin to approve it (request ${answer.request?.id}).`;
  }
  const i = answer.instrument!;
  const what = `${i.symbol} (${i.name}${i.exchange ? `, ${i.exchange}` : ''}, ${i.currency})`;
  if (answer.outcome === 'known') return `${what} is in the catalogue already.`;
  return answer.pricing === 'requested'
    ? `Added ${what} to the catalogue; its prices are being fetched now.`
    : `Added ${what} to the catalogue; it is priced from the next refresh.`;
}

/** instruments search QUERY, instruments add SOURCE SYMBOL. */
export function registerInstrumentCommands(program: Command, ctx: CommandContext): void {
  const instruments = withExamples(
    program.command('instruments').description('find instruments at the price sources and add them'),
    ['tickfolio instruments search alphabet', 'tickfolio instruments add yahoo GOOG'],
  );

  withExamples(
    withJson(
      instruments
        .command('search')
        .description(
          "the catalogue's matches and the price sources' candidates (ticker, name, ISIN, scheme code)",
        )
        .argument('<query>', 'a ticker, a name or part of one, an ISIN or an AMFI scheme code')
        .option('-n, --limit <n>', 'at most this many (1-50)', positiveInt(50), 10),
    ),
    [
      'tickfolio instruments search netflix',
      'tickfolio instruments search US0378331005 --json',
      'tickfolio instruments search 119063',
    ],
  ).action(async (query: string, options: { limit: number; json?: boolean }) => {
    const client = await ctx.api();
    let answer: LookupAnswer;
    let note: string | undefined;
    try {
      answer = await client.instruments.lookup.query({ query, limit: options.limit });
    } catch (error) {
      // No fetcher answered: the catalogue still can, and the user is told what is missing.
      if (apiErrorCode(error) !== 'SERVICE_UNAVAILABLE') throw error;
      const found = await client.instruments.search.query({ query, limit: options.limit });
      answer = { results: found.map(catalogueResult), reach: 'local-only', sources: [] };
      note = "No price source answered (is a fetcher running?): these are the catalogue's matches only.";
    }
    if (answer.reach === 'local-only' && note === undefined) {
      note =
        "This server has no price sources to ask (embedded mode): these are the catalogue's matches only.";
    }
    const failed = answer.sources.filter((s) => s.outcome === 'failed');
    if (options.json) {
      return renderJson(ctx.out, {
        query,
        reach: answer.reach,
        sources: answer.sources,
        results: answer.results.map((r) => ({ ...r, inCatalogue: r.instrumentId !== null })),
      });
    }
    await renderTable(
      ctx.out,
      [
        { header: 'Symbol', shrinkTo: 8 },
        { header: 'Name', shrinkTo: 12 },
        { header: 'Exchange', short: 'Exch', drop: 3 },
        { header: 'Ccy' },
        { header: 'Class', drop: 2 },
        { header: 'Source', shrinkTo: 6, drop: 4 },
        { header: 'Catalogue', short: 'Cat.' },
      ],
      answer.results.map((r) => [
        { text: r.symbol, tone: 'accent' as const },
        r.name,
        r.exchange ?? '',
        r.currency,
        r.assetClass,
        r.source === null ? '' : `${r.source} ${r.sourceSymbol}`,
        r.instrumentId === null ? { text: 'no', tone: 'muted' as const } : 'yes',
      ]),
      `Nothing matches "${query}".`,
    );
    const addable = answer.results.find((r) => r.instrumentId === null && r.source !== null);
    if (addable) {
      await renderLine(
        ctx.out,
        `Add one with: tickfolio instruments add ${addable.source} ${addable.sourceSymbol}`,
      );
    }
    for (const s of failed) {
      await write(ctx.out.stderr, `${s.source} did not answer${s.message ? ` (${s.message})` : ''}.\n`);
    }
    if (note) await write(ctx.out.stderr, `${note}\n`);
  });

  withExamples(
    withJson(
      instruments
        .command('add')
        .description(
          "add an instrument a price source knows (as `instruments search` shows it); on some servers it waits for an admin's approval",
        )
        .argument('<source>', 'the source that found it: yahoo, amfi, mfapi…')
        .argument('<symbol>', 'its symbol at that source'),
    ),
    ['tickfolio instruments add yahoo NFLX', 'tickfolio instruments add amfi 119063'],
  ).action(async (source: string, symbol: string, options: { json?: boolean }) => {
    const client = await ctx.api();
    const answer = await client.instruments.request.mutate({ source: source.trim().toLowerCase(), symbol });
    if (options.json) return renderJson(ctx.out, answer);
    await renderLine(ctx.out, requestSentence(answer, source, symbol));
  });
}
