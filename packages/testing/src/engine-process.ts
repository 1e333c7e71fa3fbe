import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { setTimeout as delay } from 'node:timers/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** How long an engine may take to answer after it is started (crash recovery included). */
const READY_TIMEOUT_MS = 60_000;
/** How long a stopped engine may take to exit before it is killed. */
const STOP_GRACE_MS = 10_000;

export interface EngineSpec {
  /** Names the engine in errors. */
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  /**
   * Runs the engine as this user when this process is root (PostgreSQL refuses to run as root); the
   * engine's files must be theirs (see `ownFiles`).
   */
  readonly user?: string;
  /** The signal that stops the engine without waiting for its clients; SIGTERM unless given. */
  readonly stopSignal?: NodeJS.Signals;
  /** Whether the engine serves: true once it takes connections and answers. */
  ready(): Promise<boolean>;
  /** Removes what the engine kept (its data directory), once it is stopped for good. */
  remove?(): Promise<void>;
}

/** An engine (PostgreSQL, Redis, NATS) in a process of its own, which a test can crash and start again. */
export interface EngineProcess {
  /** Whether the engine's process runs (started, and neither killed nor stopped since). */
  readonly running: boolean;
  /** Starts the engine (again), with the same settings, port and data; resolves once it answers. */
  start(): Promise<void>;
  /**
   * Kills the engine with SIGKILL, with every process it started, at once — as a crash or the kernel's
   * out-of-memory killer does; resolves once they are gone. Its files stay for `start`.
   */
  kill(): Promise<void>;
  /** Stops the engine (its stop signal, SIGKILL after a grace) and removes its files. */
  stop(): Promise<void>;
}

/**
 * Runs an engine in a process group of its own, so a kill reaches every process of it (PostgreSQL's
 * backends die with the postmaster, as in a real crash). Each engine process is started through
 * `setpriv --pdeathsig KILL`, so the kernel kills it when the test process that started it dies: a test
 * killed mid-way leaves no engine behind.
 */
export function engineProcess(spec: EngineSpec): EngineProcess {
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let output = '';

  function launch(): ChildProcess {
    const [command, args] = wrapped(spec.command, spec.args, spec.user);
    const started = spawn(command, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-4000);
    };
    started.stdout!.on('data', keep);
    started.stderr!.on('data', keep);
    exited = new Promise((resolve) => {
      started.once('exit', () => resolve());
      started.once('error', (error) => {
        keep(Buffer.from(String(error)));
        resolve();
      });
    });
    void exited.then(() => {
      if (child === started) child = undefined;
    });
    return started;
  }

  /** Sends the signal to the engine's whole process group and waits until its leader has exited. */
  async function signal(name: NodeJS.Signals): Promise<void> {
    const pid = child?.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, name);
    } catch {
      // The group is gone already.
    }
    await exited;
  }

  const engine: EngineProcess = {
    get running() {
      return child !== undefined;
    },

    async start() {
      if (child) throw new Error(`${spec.name} runs already`);
      const started = launch();
      child = started;
      const deadline = Date.now() + READY_TIMEOUT_MS;
      while (!(await spec.ready().catch(() => false))) {
        if (child !== started) throw new Error(`${spec.name} exited while starting:\n${output}`);
        if (Date.now() > deadline) {
          await signal('SIGKILL');
          throw new Error(`${spec.name} did not answer within ${READY_TIMEOUT_MS} ms:\n${output}`);
        }
        await delay(50);
      }
    },

    kill: () => signal('SIGKILL'),

    async stop() {
      if (child) {
        const timer = setTimeout(() => void signal('SIGKILL'), STOP_GRACE_MS);
        await signal(spec.stopSignal ?? 'SIGTERM');
        clearTimeout(timer);
      }
      await spec.remove?.();
    },
  };
  return engine;
}

/** Starts the engine; when it cannot start, removes its files before failing. */
export async function startOrRemove(engine: EngineProcess): Promise<void> {
  try {
    await engine.start();
  } catch (error) {
    await engine.stop();
    throw error;
  }
}

/** The user engines that refuse root run as when the tests run as root, or undefined when they do not. */
export function engineUser(): string | undefined {
  return process.getuid?.() === 0 ? (process.env.TEST_ENGINE_USER ?? 'postgres') : undefined;
}

/** Runs a command to its end (as `user` when this process is root), failing with its output. */
export async function runCommand(command: string, args: readonly string[], user?: string): Promise<void> {
  const [file, argv] = wrapped(command, args, user);
  await run(file, argv, { maxBuffer: 16 * 1024 * 1024 });
}

/** Gives `path` and everything under it to `user` (a no-op without one). */
export async function ownFiles(path: string, user: string | undefined): Promise<void> {
  if (user) await run('chown', ['-R', `${user}:`, path]);
}

/** The command through setpriv: the parent's death kills it; as `user` when this process is root. */
function wrapped(command: string, args: readonly string[], user?: string): [string, string[]] {
  const as = user && process.getuid?.() === 0 ? [`--reuid=${user}`, `--regid=${user}`, '--clear-groups'] : [];
  return ['setpriv', [...as, '--pdeathsig', 'KILL', '--', command, ...args]];
}
