import type { CliEnvironment } from '../config';

/** Where a command writes, and how: tests pass their own streams. */
export interface Output {
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
  readonly stdin: NodeJS.ReadStream;
  readonly color: boolean;
  readonly interactive: boolean;
  readonly columns: number;
}

export function processOutput(env: CliEnvironment): Output {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    color: env.color,
    interactive: env.interactive,
    columns: env.columns,
  };
}

/** For scripts: stable JSON on stdout, no colour, nothing else. */
export async function renderJson(out: Output, value: unknown): Promise<void> {
  await write(out.stdout, `${JSON.stringify(value, null, 2)}\n`);
}

/** One plain line on stdout (confirmations such as "Signed out."). */
export async function renderLine(out: Output, line: string): Promise<void> {
  await write(out.stdout, `${line}\n`);
}

export function write(stream: NodeJS.WritableStream, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.write(text, (error) => (error ? reject(error) : resolve()));
  });
}
