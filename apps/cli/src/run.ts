import { CommanderError } from 'commander';
import { createCommandContext } from './commands/context';
import type { CliEnvironment } from './config';
import { EXIT, type ExitCode, toCliError } from './errors';
import { createProgram } from './program';
import { renderError } from './render';
import { type Output, write } from './render/output';

/** Commander's own outcomes: help and version are fine; anything else is a usage error. */
function commanderExit(error: CommanderError): ExitCode {
  if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return EXIT.ok;
  if (error.exitCode === 0) return EXIT.ok;
  return EXIT.usage;
}

/** Runs one command line and returns the exit code; expected failures are explained, never thrown. */
export async function run(argv: readonly string[], env: CliEnvironment, out: Output): Promise<ExitCode> {
  let serverOption: string | undefined;
  const ctx = createCommandContext(env, out, () => serverOption);
  const program = createProgram(ctx, {
    write: (text) => void write(out.stdout, text),
    error: (text) => void write(out.stderr, text),
  });
  program.hook('preAction', (root) => {
    serverOption = root.opts<{ server?: string }>().server;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) return commanderExit(error);
    const known = toCliError(error, ctx.lastServerUrl);
    if (!known) throw error; // a bug: let it show its stack
    if (!known.reported) await renderError(out, known);
    return known.exitCode;
  }
}
