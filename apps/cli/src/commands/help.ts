import { type Command, InvalidArgumentError } from 'commander';

/** Adds an "Examples:" section to a command's --help. */
export function withExamples(command: Command, examples: readonly string[]): Command {
  return command.addHelpText('after', `\nExamples:\n${examples.map((e) => `  $ ${e}`).join('\n')}\n`);
}

/** Every read command takes --json: stable JSON on stdout, no colour. */
export function withJson(command: Command): Command {
  return command.option('--json', 'print JSON for scripts (stable shape, no colour)');
}

export function positiveInt(max: number) {
  return (text: string): number => {
    if (!/^\d+$/.test(text)) throw new InvalidArgumentError('expected a whole number.');
    const n = Number(text);
    if (n < 1 || n > max) throw new InvalidArgumentError(`expected 1 to ${max}.`);
    return n;
  };
}

/** A parser of one of `values`; it carries them as `choices`, so shell completion can offer them. */
export function oneOf<T extends string>(values: readonly T[]) {
  const parse = (text: string): T => {
    const found = values.find((v) => v === text);
    if (!found) throw new InvalidArgumentError(`expected one of ${values.join(', ')}.`);
    return found;
  };
  return Object.assign(parse, { choices: values });
}

/** The values a parser made by oneOf accepts, if it is one. */
export function choicesOf(parser: unknown): readonly string[] | undefined {
  const choices = (parser as { choices?: unknown } | undefined)?.choices;
  return Array.isArray(choices) ? choices : undefined;
}
