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

export function oneOf<T extends string>(values: readonly T[]) {
  return (text: string): T => {
    const found = values.find((v) => v === text);
    if (!found) throw new InvalidArgumentError(`expected one of ${values.join(', ')}.`);
    return found;
  };
}
