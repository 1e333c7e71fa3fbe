import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The fetcher app's folder: it runs as the process `pnpm start:fetcher` starts, never imported. */
const fetcherDir = fileURLToPath(new URL('../../../fetcher', import.meta.url));

export interface FetcherProcess {
  readonly child: ChildProcess;
  /** Where it serves webhooks (null when it does not listen). */
  readonly url: string | null;
  /** Where it serves /metrics (null when it does not listen). */
  readonly metricsUrl: string | null;
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
  const running = await new Promise<{ url?: string | null; metricsUrl?: string | null }>(
    (resolve, reject) => {
      const read = (chunk: Buffer) => {
        output += chunk.toString();
        // Whole lines only: a chunk may end inside one.
        const lines = output.split('\n').slice(0, -1);
        const line = lines.find((l) => l.includes('"msg":"fetcher running"'));
        if (line) resolve(JSON.parse(line) as { url?: string | null; metricsUrl?: string | null });
      };
      child.stdout!.on('data', read);
      child.stderr!.on('data', read);
      void exited.then((code) => reject(new Error(`fetcher exited with ${code}: ${output.slice(-2000)}`)));
    },
  );
  // Only the start-up was of interest; the rest of its logs are dropped.
  output = '';
  return {
    child,
    url: running.url ?? null,
    metricsUrl: running.metricsUrl ?? null,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * The environment of a fetcher whose every provider is the test's fixture server at `providersUrl`, on
 * the broker under `streamPrefix` and the given database.
 */
export function fixtureFetcherEnv(options: {
  readonly natsUrl: string;
  readonly databaseUrl: string;
  readonly streamPrefix: string;
  readonly providersUrl: string;
}): Record<string, string> {
  const { providersUrl } = options;
  return {
    NATS_URL: options.natsUrl,
    DATABASE_URL: options.databaseUrl,
    STREAM_PREFIX: options.streamPrefix,
    YAHOO_BASE_URL: providersUrl,
    ALPHAVANTAGE_BASE_URL: providersUrl,
    AMFI_BASE_URL: providersUrl,
    MFAPI_BASE_URL: providersUrl,
    FX_BASE_URL: `${providersUrl}/v1`,
    PORT: '0',
  };
}
