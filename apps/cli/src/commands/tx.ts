import type { Command } from 'commander';
import type { ApiClient } from '../api/client';
import type {
  CurrencyCode,
  ImportFormat,
  ImportReport,
  Transaction,
  TransactionInput,
  TransactionType,
} from '../api/types';
import { CliError, EXIT, oversellError, oversellOf, usageError } from '../errors';
import { signOf } from '../format/decimal';
import { columnPlaces, formatAmount, formatInColumn, placesFor } from '../format/money';
import { day } from '../format/timestamp';
import { ask } from '../prompt';
import { renderImportReport, renderJson, renderLine, renderProgress, renderTable } from '../render';
import { findTransaction } from '../services/find-transaction';
import {
  countImportRows,
  detectFormat,
  IMPORT_FORMATS,
  readImportFile,
  rowsOf,
} from '../services/import-file';
import { findAccount, findInstrument } from '../services/lookup';
import {
  nonNegativeAmountArg,
  positiveAmountArg,
  quantityArg,
  splitRatio,
  splitRatioArg,
  tradeDateArg,
} from './argument-parsers';
import type { CommandContext } from './context';
import { oneOf, positiveInt, withExamples, withJson } from './help';

export const TYPES: readonly TransactionType[] = [
  'buy',
  'sell',
  'transfer_in',
  'transfer_out',
  'dividend',
  'split',
  'fee',
  'deposit',
  'withdrawal',
  'interest',
];

/** The same `tx list` with the same filters, continuing after `cursor`, quoted for a shell. */
function nextPageCommand(
  options: { account?: string; symbol?: string; type?: readonly string[]; limit: number },
  cursor: string,
): string {
  const quote = (text: string) => (/^[\w.@:/+-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`);
  const words = ['tickfolio', 'tx', 'list'];
  if (options.account !== undefined) words.push('--account', quote(options.account));
  if (options.symbol !== undefined) words.push('--symbol', quote(options.symbol));
  if (options.type?.length) words.push('--type', ...options.type);
  words.push('--limit', String(options.limit), '--cursor', quote(cursor));
  return words.join(' ');
}

/** Symbols of the instruments some transactions name, looked up in one batch. */
async function symbolsOf(client: ApiClient, items: readonly Transaction[]): Promise<Map<string, string>> {
  const ids = [...new Set(items.flatMap((t) => (t.instrumentId ? [t.instrumentId] : [])))];
  const found = await Promise.all(ids.map((instrumentId) => client.instruments.get.query({ instrumentId })));
  return new Map(found.map((i) => [i.id, i.symbol]));
}

interface AddOptions {
  account: string;
  symbol?: string;
  quantity?: string;
  price?: string;
  fee?: string;
  amount?: string;
  currency?: string;
  date?: string;
  split?: { from: number; to: number };
  note?: string;
  key?: string;
  json?: boolean;
}

/**
 * Whether an import stores nothing because of what its dry run found: all or nothing with a refused
 * row or an instrument the catalogue lacks (with --skip-invalid, the valid rows are stored regardless).
 */
function refusedWhole(report: ImportReport): boolean {
  return report.mode === 'all-or-nothing' && (report.errorCount > 0 || report.unknownInstruments.length > 0);
}

/** tx list|add|delete|import. */
export function registerTransactionCommands(program: Command, ctx: CommandContext): void {
  const tx = withExamples(program.command('tx').description('transactions: list, add, delete, import'), [
    'tickfolio tx list --limit 20',
    'tickfolio tx add buy --account Brokerage --symbol AAPL --quantity 10 --price 189.5 --fee 1',
    'tickfolio tx delete 0b6f…',
    'tickfolio tx import ghostfolio-export.csv --account Brokerage',
  ]);

  withExamples(
    withJson(
      tx
        .command('list')
        .description('transactions, newest first')
        .option('-a, --account <account>', 'only this account (name or id)')
        .option('-s, --symbol <symbol>', 'only this instrument')
        .option(
          '-t, --type <type...>',
          `only these types (${TYPES.join(', ')})`,
          (value: string, previous?: TransactionType[]) => [...(previous ?? []), oneOf(TYPES)(value)],
        )
        .option('-n, --limit <n>', 'how many (1-500)', positiveInt(500), 50)
        .option('--cursor <cursor>', 'continue after an earlier page (its nextCursor)'),
    ),
    ['tickfolio tx list --account Brokerage --type buy sell', 'tickfolio tx list --json --limit 500'],
  ).action(
    async (options: {
      account?: string;
      symbol?: string;
      type?: TransactionType[];
      limit: number;
      cursor?: string;
      json?: boolean;
    }) => {
      const client = await ctx.api();
      const [account, instrument] = await Promise.all([
        options.account ? findAccount(client, options.account) : undefined,
        options.symbol ? findInstrument(client, options.symbol) : undefined,
      ]);
      const page = await client.transactions.list.query({
        accountId: account?.id,
        instrumentId: instrument?.id,
        types: options.type,
        limit: options.limit,
        cursor: options.cursor,
      });
      const [symbols, accounts] = await Promise.all([
        symbolsOf(client, page.items),
        client.accounts.list.query({ includeClosed: true }),
      ]);
      const accountName = new Map(accounts.map((a) => [a.id, a.name]));
      const items = page.items.map((t) => ({
        ...t,
        symbol: t.instrumentId ? (symbols.get(t.instrumentId) ?? null) : null,
      }));
      if (options.json) return renderJson(ctx.out, { items, nextCursor: page.nextCursor });
      // One number of places per column: quantities as exact as the most exact one, prices at least
      // to the minor units of their currencies; fees and amounts in their currency's minor units.
      const quantityPlaces = columnPlaces(items.map((t) => t.quantity));
      const pricePlaces = columnPlaces(
        items.map((t) => t.price),
        Math.max(0, ...items.filter((t) => t.price !== null).map((t) => placesFor(t.currency))),
      );
      await renderTable(
        ctx.out,
        [
          { header: 'Date' },
          { header: 'Account', shrinkTo: 8, drop: 2 },
          { header: 'Type' },
          { header: 'Symbol', shrinkTo: 8 },
          { header: 'Quantity', short: 'Qty', align: 'right' },
          { header: 'Price', align: 'right', drop: 3 },
          { header: 'Fee', align: 'right', drop: 4 },
          { header: 'Amount', align: 'right' },
          { header: 'Ccy' },
          { header: 'Id', drop: 5 },
        ],
        items.map((t) => [
          day(t.tradeDate),
          accountName.get(t.accountId) ?? t.accountId,
          t.type === 'split' ? `split ${splitRatio(t.splitFrom, t.splitTo)}` : t.type,
          { text: t.symbol ?? '', tone: 'accent' as const },
          t.quantity === null ? '' : formatInColumn(t.quantity, quantityPlaces),
          t.price === null ? '' : formatInColumn(t.price, pricePlaces),
          signOf(t.fee) === 0 ? '' : formatAmount(t.fee, t.currency),
          t.amount === null ? '' : formatAmount(t.amount, t.currency),
          t.currency,
          { text: t.id, tone: 'muted' as const },
        ]),
        'No transactions.',
      );
      if (page.nextCursor) {
        await renderLine(ctx.out, `More: ${nextPageCommand(options, page.nextCursor)}`);
      }
    },
  );

  withExamples(
    tx
      .command('add')
      .description('record a transaction')
      .argument('<type>', TYPES.join(' | '), oneOf(TYPES))
      .requiredOption('-a, --account <account>', 'the account (name or id)')
      .option(
        '-s, --symbol <symbol>',
        'the instrument (buy, sell, transfers, dividend, split; optional for fee)',
      )
      .option('-q, --quantity <decimal>', 'units (buy, sell, transfers), greater than 0', quantityArg)
      .option('-p, --price <decimal>', 'price per unit (buy, sell, transfers)', nonNegativeAmountArg)
      .option('-f, --fee <decimal>', 'commission (buy, sell, transfers)', nonNegativeAmountArg)
      .option(
        '--amount <decimal>',
        'cash amount (dividend, fee, deposit, withdrawal, interest), greater than 0',
        positiveAmountArg,
      )
      .option('-c, --currency <code>', "currency (default: the instrument's, else the account's)", (t) =>
        t.toUpperCase(),
      )
      .option('-d, --date <date>', 'trade date, e.g. 2024-05-31 (default: today)', tradeDateArg)
      .option(
        '--split <old:new>',
        'split ratio OLD:NEW, as in the Tickfolio CSV and tx list: 1:10 turns each share into 10 (a reverse split: 10:1)',
        splitRatioArg,
      )
      .option('--note <text>', 'a note')
      .option('--key <idempotency-key>', 'makes retrying safe: the same key records once')
      .option('--json', 'print the recorded transaction as JSON'),
    [
      'tickfolio tx add buy -a Brokerage -s MSFT -q 5 -p 298.58 -f 1 -d 2024-03-01',
      'tickfolio tx add dividend -a Brokerage -s MSFT --amount 3.10',
      'tickfolio tx add deposit -a Brokerage --amount 1000',
      'tickfolio tx add split -a Brokerage -s NVDA --split 1:10 -d 2024-06-10   # ten for one',
    ],
  ).action(async (type: TransactionType, options: AddOptions) => {
    const client = await ctx.api();
    const [account, instrument] = await Promise.all([
      findAccount(client, options.account),
      options.symbol ? findInstrument(client, options.symbol) : undefined,
    ]);
    const input: TransactionInput = {
      accountId: account.id,
      type,
      instrumentId: instrument?.id,
      tradeDate: options.date ?? new Date(ctx.now()).toISOString().slice(0, 10),
      quantity: options.quantity,
      price: options.price,
      fee: options.fee,
      amount: options.amount,
      currency: (options.currency ?? instrument?.currency ?? account.baseCurrency) as CurrencyCode,
      splitFrom: options.split?.from,
      splitTo: options.split?.to,
      note: options.note,
      idempotencyKey: options.key,
    };
    const recorded = await client.transactions.add.mutate(input).catch((error: unknown) => {
      const oversell = oversellOf(error);
      if (!oversell || !instrument) throw error;
      throw oversellError(oversell, {
        type,
        quantity: options.quantity,
        symbol: instrument.symbol,
        account: account.name,
        date: day(input.tradeDate),
      });
    });
    if (options.json) return renderJson(ctx.out, recorded);
    const what = instrument ? ` ${instrument.symbol}` : '';
    await renderLine(
      ctx.out,
      `Recorded ${type}${what} in "${account.name}" on ${day(recorded.tradeDate)}, id ${recorded.id}.`,
    );
  });

  withExamples(
    tx
      .command('delete')
      .description('delete a transaction, after asking (refused when later sells rely on it)')
      .argument('<id>', 'the transaction id, or its first 6 or more characters (see tx list)')
      .option('-y, --yes', 'do not ask (needed when there is no terminal to ask on)')
      .option('--json', 'print the deleted transaction as JSON'),
    ['tickfolio tx delete 4d7c2a', 'tickfolio tx delete 4d7c2a4e-0b1f-4c55-9f0e-6a1d2b3c4d5e --yes --json'],
  ).action(async (ref: string, options: { yes?: boolean; json?: boolean }) => {
    const client = await ctx.api();
    const found = await findTransaction(client, ref);
    const what = `the ${found.type} of ${day(found.tradeDate)} (${found.id})`;
    if (!options.yes) {
      if (!ctx.out.stdin.isTTY) {
        throw usageError(`Not deleting ${what} without asking.`, 'Add --yes to delete it from a script.');
      }
      const answer = await ask(`Delete ${what}? [y/N] `, ctx.out.stdin, ctx.out.stderr);
      if (!/^y(es)?$/i.test(answer)) {
        await renderLine(ctx.out, 'Nothing deleted.');
        return;
      }
    }
    const deleted = await client.transactions.delete.mutate({ transactionId: found.id });
    if (options.json) return renderJson(ctx.out, deleted);
    await renderLine(ctx.out, `Deleted the ${deleted.type} of ${day(deleted.tradeDate)} (${deleted.id}).`);
  });

  withExamples(
    withJson(
      tx
        .command('import')
        .description(
          'import a Tickfolio or Ghostfolio export (CSV or JSON) into one account, all or nothing (or with --skip-invalid, the valid rows); rows already recorded are skipped',
        )
        .argument('<file>', 'the file to import')
        .requiredOption('-a, --account <account>', 'the account to import into (name or id)')
        .option(
          '--format <format>',
          `${IMPORT_FORMATS.join(' | ')} (default: detected)`,
          oneOf(IMPORT_FORMATS),
        )
        .option('--dry-run', 'check every row and report, without writing')
        .option(
          '--skip-invalid',
          'store the valid rows and report the refused ones (default: nothing is stored when any row is refused)',
        )
        .option('--key <idempotency-key>', 'rows are recorded once per key (default: per file content)')
        .addHelpText(
          'after',
          [
            '',
            'The Tickfolio CSV (docs/tickfolio-csv.md): a header line, then one transaction a line:',
            '  date,type,symbol,quantity,price,fee,amount,currency,note',
            '  2024-01-15,buy,MSFT,10,401.25,1.50,,USD,first lot',
            '  2024-06-10,split,NVDA,1:10,,,,USD,          (split ratio OLD:NEW: each share becomes ten)',
            '  2024-07-01,deposit,,,,,1000,EUR,',
            'Plain decimals (no 1,000 or 1e3), at most 8 places; dates YYYY-MM-DD or ISO instants.',
          ].join('\n'),
        ),
    ),
    [
      'tickfolio tx import activities.csv --account Brokerage',
      'tickfolio tx import ghostfolio-export.json -a Brokerage --dry-run',
      'tickfolio tx import trades.csv -a ISA --format tickfolio-csv --json',
      'tickfolio tx import ghostfolio-export.csv -a Brokerage --skip-invalid',
    ],
  ).action(
    async (
      file: string,
      options: {
        account: string;
        format?: ImportFormat;
        dryRun?: boolean;
        skipInvalid?: boolean;
        key?: string;
        json?: boolean;
      },
    ) => {
      const out = options.json ? { ...ctx.out, interactive: false } : ctx.out;
      const client = await ctx.api();
      const report = await renderProgress(out, async (say) => {
        say(`reading ${file}`);
        const content = await readImportFile(file);
        const format = options.format ?? detectFormat(file, content);
        const rows = rowsOf(file, countImportRows(content, format));
        say('finding the account');
        const account = await findAccount(client, options.account);
        const mode = options.skipInvalid ? 'skip-invalid' : 'all-or-nothing';
        const request = {
          accountId: account.id,
          format,
          content,
          mode,
          idempotencyKey: options.key,
        } as const;
        say(`checking ${rows} (${format})`);
        const check = await client.transactions.import.mutate({ ...request, dryRun: true });
        if (options.dryRun || refusedWhole(check)) return check;
        say(`importing ${check.imported} transaction${check.imported === 1 ? '' : 's'} of ${file}`);
        return client.transactions.import.mutate(request);
      });
      if (options.json) await renderJson(ctx.out, report);
      else await renderImportReport(ctx.out, file, report);
      if (
        refusedWhole(report) ||
        (report.mode === 'skip-invalid' && report.imported === 0 && report.errorCount > 0)
      ) {
        throw new CliError('The file was not imported.', EXIT.error, undefined, [], true);
      }
    },
  );
}
