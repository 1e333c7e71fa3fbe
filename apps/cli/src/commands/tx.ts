import { type Command, InvalidArgumentError } from 'commander';
import type { ApiClient } from '../api/client';
import type {
  CurrencyCode,
  ImportFormat,
  Transaction,
  TransactionInput,
  TransactionType,
} from '../api/types';
import { CliError, EXIT } from '../errors';
import { isDecimal } from '../format/decimal';
import { renderImportReport, renderJson, renderLine, renderProgress, renderTable } from '../render';
import { detectFormat, IMPORT_FORMATS, readImportFile } from '../services/import-file';
import { findAccount, findInstrument } from '../services/lookup';
import type { CommandContext } from './context';
import { oneOf, positiveInt, withExamples, withJson } from './help';

const TYPES: readonly TransactionType[] = [
  'buy',
  'sell',
  'transfer_in',
  'transfer_out',
  'dividend',
  'split',
  'fee',
  'deposit',
  'withdrawal',
];

function decimal(text: string): string {
  if (!isDecimal(text) || text.startsWith('-') || text.startsWith('+')) {
    throw new InvalidArgumentError(
      'expected a plain decimal such as 12.5 (no sign, no thousands separator).',
    );
  }
  return text;
}

function date(text: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text) && Number.isNaN(Date.parse(text))) {
    throw new InvalidArgumentError('expected a date such as 2024-05-31 or an ISO instant.');
  }
  return text;
}

function ratio(text: string): { from: number; to: number } {
  const match = /^(\d+)[:/](\d+)$/.exec(text);
  if (!match) throw new InvalidArgumentError('expected NEW:OLD, e.g. 2:1 for a two-for-one split.');
  return { to: Number(match[1]), from: Number(match[2]) };
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
      const symbols = await symbolsOf(client, page.items);
      const items = page.items.map((t) => ({
        ...t,
        symbol: t.instrumentId ? (symbols.get(t.instrumentId) ?? null) : null,
      }));
      if (options.json) return renderJson(ctx.out, { items, nextCursor: page.nextCursor });
      await renderTable(
        ctx.out,
        [
          { header: 'Date' },
          { header: 'Type' },
          { header: 'Symbol' },
          { header: 'Quantity', align: 'right' },
          { header: 'Price', align: 'right' },
          { header: 'Fee', align: 'right' },
          { header: 'Amount', align: 'right' },
          { header: 'Ccy' },
          { header: 'Id' },
        ],
        items.map((t) => [
          t.tradeDate.slice(0, 10),
          t.type === 'split' ? `split ${t.splitTo}:${t.splitFrom}` : t.type,
          { text: t.symbol ?? '', tone: 'accent' as const },
          t.quantity ?? '',
          t.price ?? '',
          t.fee === '0' ? '' : t.fee,
          t.amount ?? '',
          t.currency,
          { text: t.id, tone: 'muted' as const },
        ]),
        'No transactions.',
      );
      if (page.nextCursor) {
        await renderLine(ctx.out, `More: tickfolio tx list --cursor ${page.nextCursor}`);
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
      .option('-q, --quantity <decimal>', 'units (buy, sell, transfers)', decimal)
      .option('-p, --price <decimal>', 'price per unit (buy, sell, transfers)', decimal)
      .option('-f, --fee <decimal>', 'commission (buy, sell, transfers)', decimal)
      .option('--amount <decimal>', 'cash amount (dividend, fee, deposit, withdrawal)', decimal)
      .option('-c, --currency <code>', "currency (default: the instrument's, else the account's)", (t) =>
        t.toUpperCase(),
      )
      .option('-d, --date <date>', 'trade date, e.g. 2024-05-31 (default: today)', date)
      .option('--split <new:old>', 'split ratio, e.g. 2:1', ratio)
      .option('--note <text>', 'a note')
      .option('--key <idempotency-key>', 'makes retrying safe: the same key records once')
      .option('--json', 'print the recorded transaction as JSON'),
    [
      'tickfolio tx add buy -a Brokerage -s MSFT -q 5 -p 298.58 -f 1 -d 2024-03-01',
      'tickfolio tx add dividend -a Brokerage -s MSFT --amount 3.10',
      'tickfolio tx add deposit -a Brokerage --amount 1000',
      'tickfolio tx add split -a Brokerage -s NVDA --split 10:1 -d 2024-06-10',
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
    const recorded = await client.transactions.add.mutate(input);
    if (options.json) return renderJson(ctx.out, recorded);
    const what = instrument ? ` ${instrument.symbol}` : '';
    await renderLine(
      ctx.out,
      `Recorded ${type}${what} in "${account.name}" on ${recorded.tradeDate.slice(0, 10)}, id ${recorded.id}.`,
    );
  });

  withExamples(
    tx
      .command('delete')
      .description('delete a transaction (refused when later sells rely on it)')
      .argument('<id>', 'the transaction id (see tx list)')
      .option('--json', 'print the deleted transaction as JSON'),
    ['tickfolio tx delete 4d7c2a4e-…'],
  ).action(async (transactionId: string, options: { json?: boolean }) => {
    const client = await ctx.api();
    const deleted = await client.transactions.delete.mutate({ transactionId });
    if (options.json) return renderJson(ctx.out, deleted);
    await renderLine(
      ctx.out,
      `Deleted the ${deleted.type} of ${deleted.tradeDate.slice(0, 10)} (${deleted.id}).`,
    );
  });

  withExamples(
    withJson(
      tx
        .command('import')
        .description('import a Tickfolio or Ghostfolio export (CSV or JSON) into one account, all or nothing')
        .argument('<file>', 'the file to import')
        .requiredOption('-a, --account <account>', 'the account to import into (name or id)')
        .option(
          '--format <format>',
          `${IMPORT_FORMATS.join(' | ')} (default: detected)`,
          oneOf(IMPORT_FORMATS),
        )
        .option('--dry-run', 'check every row and report, without writing')
        .option('--key <idempotency-key>', 'rows are recorded once per key (default: per file content)'),
    ),
    [
      'tickfolio tx import activities.csv --account Brokerage',
      'tickfolio tx import ghostfolio-export.json -a Brokerage --dry-run',
      'tickfolio tx import trades.csv -a ISA --format tickfolio-csv --json',
    ],
  ).action(
    async (
      file: string,
      options: { account: string; format?: ImportFormat; dryRun?: boolean; key?: string; json?: boolean },
    ) => {
      const out = options.json ? { ...ctx.out, interactive: false } : ctx.out;
      const client = await ctx.api();
      const report = await renderProgress(out, options.dryRun ? 3 : 4, async (step) => {
        step(`reading ${file}`);
        const content = await readImportFile(file);
        const format = options.format ?? detectFormat(file, content);
        step('finding the account');
        const account = await findAccount(client, options.account);
        const request = { accountId: account.id, format, content, idempotencyKey: options.key };
        step(`checking every row (${format})`);
        const check = await client.transactions.import.mutate({ ...request, dryRun: true });
        if (options.dryRun || check.errorCount > 0) return check;
        step(`importing ${check.imported} transaction${check.imported === 1 ? '' : 's'}`);
        return client.transactions.import.mutate(request);
      });
      if (options.json) await renderJson(ctx.out, report);
      else await renderImportReport(ctx.out, file, report);
      if (report.errorCount > 0) {
        throw new CliError('The file was not imported.', EXIT.error, undefined, [], true);
      }
    },
  );
}
