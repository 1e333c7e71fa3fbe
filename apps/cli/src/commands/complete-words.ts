import type { Argument, Command, Option } from 'commander';
import { choicesOf } from './help';

/**
 * What the server knows that completion offers: the signed-in person's account names and the
 * catalogue's symbols starting with a prefix. Each answers [] when the server cannot be asked (offline,
 * not signed in): completion never fails, it offers less.
 */
export interface CompletionSources {
  accounts(): Promise<readonly string[]>;
  symbols(prefix: string): Promise<readonly string[]>;
}

/** Values known without a server, by the name of what is asked for (`<type>`, `--role <role>`). */
export interface StaticValues {
  readonly [valueName: string]: readonly string[];
}

/** Value names whose values come from the server. */
const ACCOUNT_VALUES = new Set(['account']);
const SYMBOL_VALUES = new Set(['symbol', 'symbols']);

/** The name of an option's value ("--account <account>" → "account"), or undefined for a flag. */
function valueNameOf(option: Option): string | undefined {
  return /[<[]([\w-]+)(?:\.\.\.)?[>\]]/.exec(option.flags)?.[1];
}

function findOption(command: Command, word: string): Option | undefined {
  for (let c: Command | null = command; c; c = c.parent) {
    const found = c.options.find((o) => o.long === word || o.short === word);
    if (found) return found;
  }
  return undefined;
}

function visible(command: Command): Command[] {
  return command.commands.filter(
    (c) => c.name() !== 'help' && !(c as unknown as { _hidden?: boolean })._hidden,
  );
}

/** What one position asks for: its value name and any values its parser accepts. */
interface Slot {
  readonly name: string;
  readonly choices: readonly string[] | undefined;
}

/**
 * The words that may stand where the last of `words` is being typed (the words after the program's
 * name; the last is the partial word, '' for a new one): subcommands and options from commander's tree,
 * the values an option or argument accepts (its oneOf choices, or `statics` by its name), and account
 * names and symbols from `sources`. Only words starting with the partial one are returned.
 */
export async function completeWords(
  program: Command,
  words: readonly string[],
  statics: StaticValues,
  sources: CompletionSources,
): Promise<string[]> {
  const current = words.at(-1) ?? '';
  let command = program;
  let positional = 0;
  let pending: Slot | undefined;
  for (const word of words.slice(0, -1)) {
    if (pending) {
      pending = undefined;
      continue;
    }
    if (word.startsWith('-')) {
      const option = findOption(command, word.split('=')[0]!);
      const name = option ? valueNameOf(option) : undefined;
      if (option && name && !word.includes('=') && (option.required || option.variadic)) {
        pending = { name, choices: choicesOf(option.parseArg) ?? option.argChoices };
      }
      continue;
    }
    const sub = visible(command).find((c) => c.name() === word || c.aliases().includes(word));
    if (sub && positional === 0) command = sub;
    else positional += 1;
  }
  let candidates: readonly string[];
  if (pending) candidates = await valuesFor(pending, current, statics, sources);
  else if (current.startsWith('-')) {
    const options: string[] = [];
    for (let c: Command | null = command; c; c = c.parent) {
      options.push(...c.options.flatMap((o) => (o.long ? [o.long] : [])));
    }
    candidates = [...options, '--help'];
  } else {
    const subs = positional === 0 ? visible(command).map((c) => c.name()) : [];
    const args = command.registeredArguments;
    const argument: Argument | undefined =
      args[positional] ?? (args.at(-1)?.variadic ? args.at(-1) : undefined);
    const slot = argument
      ? { name: argument.name(), choices: choicesOf(argument.parseArg) ?? argument.argChoices }
      : undefined;
    candidates = [...subs, ...(slot ? await valuesFor(slot, current, statics, sources) : [])];
  }
  // Case aside: `aa` offers AAPL, as the catalogue's search matches it.
  const typed = current.toLowerCase();
  return [...new Set(candidates)].filter((w) => w.toLowerCase().startsWith(typed));
}

async function valuesFor(
  slot: Slot,
  current: string,
  statics: StaticValues,
  sources: CompletionSources,
): Promise<readonly string[]> {
  if (slot.choices) return slot.choices;
  if (statics[slot.name]) return statics[slot.name]!;
  if (ACCOUNT_VALUES.has(slot.name)) return sources.accounts();
  if (SYMBOL_VALUES.has(slot.name)) return sources.symbols(current);
  return [];
}
