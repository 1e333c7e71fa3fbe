import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const serverDir = fileURLToPath(new URL('../..', import.meta.url));

export interface ServerProcess {
  readonly url: string;
  /** Where its metrics are served (its banner says), or null when they are not. */
  readonly metricsUrl: string | null;
  readonly child: ChildProcess;
  /** Resolves with the exit code (null after a signal) once the process has exited. */
  readonly exited: Promise<number | null>;
}

/**
 * Starts `src/start.ts` as a process of its own, as `pnpm start` runs it, and resolves with its URL once
 * it listens. `nodeArgs` go before the entry (profiler flags, say); `echo` copies its stderr here.
 */
export async function startServerProcess(
  env: Record<string, string>,
  options: { nodeArgs?: readonly string[]; echo?: boolean } = {},
): Promise<ServerProcess> {
  const args = ['--max-semi-space-size=128', ...(options.nodeArgs ?? []), '--import', 'tsx', 'src/start.ts'];
  const child = spawn(process.execPath, args, {
    cwd: serverDir,
    env: { ...process.env, ...env },
    stdio: ['ignore', options.echo ? 'inherit' : 'pipe', 'pipe'],
  });
  // The log (stdout) says why a process that exits before it listens stopped; its tail goes in the error.
  let logTail = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    logTail = (logTail + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (options.echo) process.stderr.write(chunk);
      // The banner is one write: its metrics line, when there is one, comes with it.
      const m = /Tickfolio server on (\S+)\/trpc/.exec(output);
      if (m) resolve(m[1]!);
    });
    void exited.then((code) =>
      reject(new Error(`server exited with ${code}: ${output.slice(-2000)}\n${logTail.slice(-2000)}`)),
    );
  });
  return { url, metricsUrl: /Metrics on (\S+)/.exec(output)?.[1] ?? null, child, exited };
}
