import { ConfigError } from './config-error';
import { createLogger, type Logger } from './logger';

/** What a process's composition root returns: started once, stopped once. */
interface ProcessApp<Started> {
  /**
   * Starts the app. The signal aborts when a shutdown comes while it is still starting: long work (a
   * first demo load) may give up early, rolling back what it began, instead of finishing first.
   */
  start(signal: AbortSignal): Promise<Started>;
  stop(): Promise<void>;
}

export type ShutdownSignal = 'SIGTERM' | 'SIGINT';

/** The parts of Node's `process` an entry touches, so a test can stand in for them. */
export interface ProcessHost {
  onSignal(signal: ShutdownSignal, handler: () => void): void;
  exit(code: number): void;
  writeError(text: string): void;
  setTimer(ms: number, run: () => void): void;
}

export interface ProcessEntry<Config, Started> {
  /** The process's name in every log line ('tickfolio-server'). */
  readonly name: string;
  /** Parses the environment; a ConfigError ends the process with its message and exit code 2. */
  readonly loadConfig: () => Config;
  readonly logLevel: (config: Config) => string;
  /** The composition root. */
  readonly createApp: (config: Config, log: Logger) => ProcessApp<Started>;
  /** Says that the process is up (a banner, a log line), once it has started. */
  readonly announce?: (started: Started, config: Config, log: Logger) => void;
  /** How long a graceful stop may take before the process exits anyway; default 20 s. */
  readonly stopDeadlineMs?: number;
}

/** Inside the 30 s an orchestrator such as Kubernetes waits before it kills, so our log says why. */
export const DEFAULT_STOP_DEADLINE_MS = 20_000;

/** Exit codes: a clean stop, a failure, an unusable configuration; a forced stop is 128 + the signal. */
const EXIT_CODES = { stopped: 0, failed: 1, badConfig: 2 } as const;
const SIGNAL_NUMBERS: Readonly<Record<ShutdownSignal, number>> = { SIGINT: 2, SIGTERM: 15 };

const nodeHost: ProcessHost = {
  onSignal: (signal, handler) => process.on(signal, handler),
  exit: (code) => process.exit(code),
  writeError: (text) => process.stderr.write(text),
  setTimer: (ms, run) => setTimeout(run, ms),
};

/**
 * Runs a process the one way both apps run: parse the config, build the app, start it, and on the
 * first SIGTERM or SIGINT stop it and exit 0. A signal that arrives while the app is still starting
 * aborts the start's signal and waits for the start to end (finished, or given up), so stop never races
 * the parts start is still building. The
 * process exits anyway, with 1, when the stop fails or outlasts the deadline, and at once, with
 * 128 + the signal's number as a shell would report, on a second signal (an operator's second Ctrl-C).
 */
export async function runProcess<Config, Started>(
  entry: ProcessEntry<Config, Started>,
  host: ProcessHost = nodeHost,
): Promise<void> {
  let config: Config;
  try {
    config = entry.loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    host.writeError(`${error.message}\n`);
    host.exit(EXIT_CODES.badConfig);
    return;
  }
  const log = createLogger(entry.logLevel(config), entry.name);
  const app = entry.createApp(config, log);
  const deadlineMs = entry.stopDeadlineMs ?? DEFAULT_STOP_DEADLINE_MS;
  let stopping = false;
  const startCancelled = new AbortController();
  // Signals arrive through the event loop, so the handlers below are in place before any can.
  const starting = app.start(startCancelled.signal);

  function shutdown(signal: ShutdownSignal): void {
    if (stopping) {
      log.warn({ signal }, 'second signal: exiting without waiting for the shutdown');
      host.exit(128 + SIGNAL_NUMBERS[signal]);
      return;
    }
    stopping = true;
    log.info({ signal }, 'shutting down');
    startCancelled.abort(new Error(`${signal} during start`));
    host.setTimer(deadlineMs, () => {
      log.error({ deadlineMs }, 'shutdown took too long: exiting');
      host.exit(EXIT_CODES.failed);
    });
    starting
      .catch(() => undefined)
      .then(() => app.stop())
      .then(
        () => host.exit(EXIT_CODES.stopped),
        (error: unknown) => {
          log.error({ err: error }, 'shutdown failed');
          host.exit(EXIT_CODES.failed);
        },
      );
  }

  host.onSignal('SIGTERM', () => shutdown('SIGTERM'));
  host.onSignal('SIGINT', () => shutdown('SIGINT'));
  try {
    const started = await starting;
    if (!stopping) entry.announce?.(started, config, log);
  } catch (error) {
    // A start cut short by a shutdown is the shutdown's to report.
    if (stopping) return;
    log.fatal({ err: error }, 'start failed');
    host.exit(EXIT_CODES.failed);
  }
}
