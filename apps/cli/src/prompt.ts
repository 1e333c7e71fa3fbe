import { createInterface } from 'node:readline/promises';
import { CliError, EXIT, usageError } from './errors';

/** Asks one question on the terminal. */
export async function ask(
  question: string,
  input: NodeJS.ReadStream,
  output: NodeJS.WriteStream,
): Promise<string> {
  const rl = createInterface({ input, output, terminal: input.isTTY === true });
  try {
    return (await rl.question(question)).trim();
  } finally {
    rl.close();
  }
}

/** Asks for a secret without echoing it (a terminal in raw mode). */
export function askSecret(
  question: string,
  input: NodeJS.ReadStream,
  output: NodeJS.WriteStream,
): Promise<string> {
  if (!input.isTTY) throw usageError('No terminal to ask for the password on.', 'Use --password-stdin.');
  output.write(question);
  return new Promise((resolve, reject) => {
    let secret = '';
    const done = (error?: Error) => {
      input.setRawMode(false);
      input.pause();
      input.off('data', onData);
      output.write('\n');
      if (error) reject(error);
      else resolve(secret);
    };
    const onData = (chunk: Buffer) => {
      for (const char of chunk.toString('utf8')) {
        if (char === '\r' || char === '\n') return done();
        if (char === '\u0003') return done(new CliError('Cancelled.', EXIT.error));
        if (char === '\u007f' || char === '\b') secret = secret.slice(0, -1);
        else secret += char;
      }
    };
    input.setRawMode(true);
    input.resume();
    input.on('data', onData);
  });
}

/** The first `count` lines of stdin, for --password-stdin (missing lines are empty). */
export async function readLines(input: NodeJS.ReadStream, count: number): Promise<string[]> {
  let text = '';
  for await (const chunk of input) {
    text += chunk.toString();
    if (text.split('\n').length > count) break;
  }
  const lines = text.split(/\r?\n/);
  return Array.from({ length: count }, (_, i) => lines[i] ?? '');
}

/** All of stdin, for --password-stdin: the first line. */
export async function readFirstLine(input: NodeJS.ReadStream): Promise<string> {
  return (await readLines(input, 1))[0]!;
}
