import { readEnvironment } from './config';
import { processOutput } from './render/output';
import { run } from './run';

/** The CLI as a process runs it: the process's arguments, environment and streams; exits with the code. */
export async function main(argv: readonly string[]): Promise<void> {
  // A reader that stops early (`tickfolio tx list --json | head`) is not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  const env = readEnvironment();
  const code = await run(argv, env, processOutput(env));
  // Let pending writes (piped stdout) drain, then leave with the code even if a handle is still open.
  process.exitCode = code;
  process.stdout.write('', () => process.exit(code));
}
