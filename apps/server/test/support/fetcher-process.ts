import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The fetcher app's folder: it runs as the process `pnpm start:fetcher` starts, never imported. */
const fetcherDir = fileURLToPath(new URL('../../../fetcher', import.meta.url));

export interface FetcherProcess {
  readonly child: ChildProcess;
  /** SIGTERM, as an orchestrator stops it; resolves once it has exited. */
  stop(): Promise<void>;
}

/**
 * Starts the fetcher's `src/start.ts` as a process of its own with this environment, and resolves once
 * it says it is running (its logs are read for that, so LOG_LEVEL is info).
 */
export async function startFetcherProcess(env: Record<string, string>): Promise<FetcherProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/start.ts'], {
    cwd: fetcherDir,
    env: { ...process.env, ...env, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('"msg":"fetcher running"')) resolve();
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    void exited.then((code) => reject(new Error(`fetcher exited with ${code}: ${output.slice(-2000)}`)));
  });
  // Only the start-up was of interest; the rest of its logs are dropped.
  output = '';
  return {
    child,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
