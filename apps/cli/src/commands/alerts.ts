import { positiveDecimalSchema } from '@tickfolio/core';
import { type Command, InvalidArgumentError } from 'commander';
import type { AlertRule, NewAlertRule } from '../api/types';
import { usageError } from '../errors';
import { renderJson, renderLine, renderTable } from '../render';
import { findAccount, findClient, findInstrument } from '../services/lookup';
import type { CommandContext } from './context';
import { oneOf, withExamples, withJson } from './help';

/** The rule kinds as the command line spells them, and the API's names. */
const KINDS = {
  'portfolio-move': 'portfolio_move',
  'value-above': 'value_above',
  'value-below': 'value_below',
  'price-move': 'price_move',
  'price-stale': 'price_stale',
  'unrealized-loss': 'unrealized_loss',
} as const;
type KindArg = keyof typeof KINDS;
const KIND_ARGS = Object.keys(KINDS) as KindArg[];
/** Kinds about one instrument: they take --symbol. */
const INSTRUMENT_KINDS: ReadonlySet<KindArg> = new Set(['price-move', 'price-stale', 'unrealized-loss']);

/** What a threshold means, by kind, for help and for the table. */
const UNIT: Record<AlertRule['kind'], string> = {
  portfolio_move: '%',
  value_above: '',
  value_below: '',
  price_move: '%',
  price_stale: 's',
  unrealized_loss: '%',
};

const thresholdArg = (text: string): string => {
  if (!positiveDecimalSchema(8).safeParse(text).success) {
    throw new InvalidArgumentError('expected a number above 0, at most 8 decimals (e.g. 5 or 2.5).');
  }
  return text;
};

/** "90s", "15m", "2h", "1d" or plain seconds, as whole seconds. */
export function durationArg(text: string): number {
  const m = /^(\d{1,7})(s|m|h|d)?$/.exec(text.trim());
  if (!m) throw new InvalidArgumentError('expected a duration such as 90s, 15m, 2h or 1d.');
  const unit = { s: 1, m: 60, h: 3600, d: 86_400 }[(m[2] ?? 's') as 's' | 'm' | 'h' | 'd'];
  return Number(m[1]) * unit;
}

interface AddOptions {
  account?: string;
  symbol?: string;
  client?: string;
  direction?: 'up' | 'down' | 'either';
  window?: number;
  cooldown?: number;
  hysteresis?: string;
  json?: boolean;
}

function describeRule(rule: AlertRule): string {
  const unit = UNIT[rule.kind];
  const amount = unit === '' ? `${rule.threshold} ${rule.currency ?? ''}`.trim() : `${rule.threshold}${unit}`;
  const direction = rule.direction === 'either' ? '' : ` ${rule.direction}`;
  const window = rule.windowSeconds === null ? '' : ` in ${rule.windowSeconds}s`;
  return `${rule.kind.replace('_', '-')}${direction} ${amount}${window}`;
}

function stateOf(rule: AlertRule): string {
  if (!rule.active) return 'paused';
  if (!rule.armed) return `fired (${rule.crossings})`;
  return rule.crossings > 0 ? `armed (fired ${rule.crossings})` : 'armed';
}

/** alerts list|add|remove. */
export function registerAlertCommands(program: Command, ctx: CommandContext): void {
  const alerts = withExamples(
    program
      .command('alerts')
      .description('alert rules on your portfolio (advisors: on a client’s): list, add, remove'),
    [
      'tickfolio alerts list',
      'tickfolio alerts add portfolio-move 3 --direction down',
      'tickfolio alerts add value-below 100000',
      'tickfolio alerts add price-move 5 --symbol AAPL',
      'tickfolio alerts remove 6f1c…',
    ],
  );

  withExamples(
    withJson(
      alerts
        .command('list', { isDefault: true })
        .description('your alert rules and whether each has fired')
        .option('--client <client>', 'only those on this client (email, name or id)'),
    ),
    ['tickfolio alerts list --json'],
  ).action(async (options: { client?: string; json?: boolean }) => {
    const client = await ctx.api();
    const ownerId = options.client ? (await findClient(client, options.client)).clientId : undefined;
    const rules = await client.alerts.list.query(ownerId ? { ownerId } : undefined);
    if (options.json) return renderJson(ctx.out, rules);
    await renderTable(
      ctx.out,
      [{ header: 'Rule', shrinkTo: 20 }, { header: 'State' }, { header: 'Id', drop: 1 }],
      rules.map((r) => [
        { text: describeRule(r), tone: 'accent' as const },
        { text: stateOf(r), tone: r.armed ? ('muted' as const) : ('warn' as const) },
        { text: r.id, tone: 'muted' as const },
      ]),
      'No alert rules yet. Add one with `tickfolio alerts add portfolio-move 3`.',
    );
  });

  withExamples(
    alerts
      .command('add')
      .description('add a rule: you are notified once each time its threshold is crossed')
      .argument('<kind>', KIND_ARGS.join(', '), oneOf(KIND_ARGS))
      .argument(
        '<threshold>',
        'percent (moves, losses), an amount (values) or seconds (price-stale)',
        thresholdArg,
      )
      .option('--account <account>', 'portfolio-move and value kinds: one account instead of the portfolio')
      .option('--symbol <symbol>', 'price-move, price-stale, unrealized-loss: the instrument')
      .option('--client <client>', 'advisors: a client’s portfolio (email, name or id)')
      .option(
        '--direction <direction>',
        'moves: up, down or either (default)',
        oneOf(['up', 'down', 'either']),
      )
      .option(
        '--window <duration>',
        'portfolio-move: within this window (15m, 1h) instead of since the open',
        durationArg,
      )
      .option('--cooldown <duration>', 'least time between two notifications (default 5m)', durationArg)
      .option(
        '--hysteresis <percent>',
        'how far back past the threshold (percent of it) re-arms the rule',
        thresholdArg,
      )
      .option('--json', 'print the new rule as JSON'),
    [
      'tickfolio alerts add portfolio-move 2 --window 30m',
      'tickfolio alerts add value-above 250000 --account Brokerage',
      'tickfolio alerts add price-stale 3600 --symbol VWRL.L',
      'tickfolio alerts add unrealized-loss 20 --symbol TSLA --client investor7@demo.tickfolio.dev',
    ],
  ).action(async (kindArg: KindArg, threshold: string, options: AddOptions) => {
    const client = await ctx.api();
    const kind = KINDS[kindArg];
    const instrument = INSTRUMENT_KINDS.has(kindArg);
    if (instrument && !options.symbol) throw usageError(`${kindArg} needs an instrument.`, 'Use --symbol.');
    if (!instrument && options.symbol)
      throw usageError(`${kindArg} is about a portfolio, not an instrument.`);
    const ownerId = options.client ? (await findClient(client, options.client)).clientId : undefined;
    const common = {
      threshold,
      ...(ownerId ? { ownerId } : {}),
      ...(options.cooldown === undefined ? {} : { cooldownSeconds: options.cooldown }),
      ...(options.hysteresis === undefined ? {} : { hysteresisPercent: options.hysteresis }),
    };
    let input: NewAlertRule;
    if (instrument) {
      const instrumentId = (await findInstrument(client, options.symbol!)).id;
      input =
        kind === 'price_move'
          ? { kind, instrumentId, ...common, ...(options.direction ? { direction: options.direction } : {}) }
          : { kind: kind as 'price_stale' | 'unrealized_loss', instrumentId, ...common };
    } else {
      const accountId = options.account ? (await findAccount(client, options.account)).id : undefined;
      const scope = { ...common, ...(accountId ? { accountId } : {}) };
      input =
        kind === 'portfolio_move'
          ? {
              kind,
              ...scope,
              ...(options.direction ? { direction: options.direction } : {}),
              ...(options.window === undefined ? {} : { windowSeconds: options.window }),
            }
          : { kind: kind as 'value_above' | 'value_below', ...scope };
    }
    const rule = await client.alerts.create.mutate(input);
    if (options.json) return renderJson(ctx.out, rule);
    await renderLine(ctx.out, `Added ${describeRule(rule)}, id ${rule.id}.`);
  });

  withExamples(
    alerts
      .command('remove')
      .description('remove a rule')
      .argument('<id>', 'the rule id (alerts list shows it)'),
    ['tickfolio alerts remove 6f1c2a9e-…'],
  ).action(async (id: string) => {
    const client = await ctx.api();
    await client.alerts.delete.mutate({ id });
    await renderLine(ctx.out, 'Removed the rule.');
  });
}
