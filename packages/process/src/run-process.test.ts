import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error';
import {
  DEFAULT_STOP_DEADLINE_MS,
  type ProcessEntry,
  type ProcessHost,
  runProcess,
  type ShutdownSignal,
} from './run-process';

/** A promise settled from outside. */
function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Stands in for Node's process: records exits, hands out signals, fires the deadline on demand. */
function fakeHost() {
  const handlers = new Map<ShutdownSignal, () => void>();
  const timers: { ms: number; run: () => void }[] = [];
  const exits: number[] = [];
  const errors: string[] = [];
  let exited = deferred<number>();
  const host: ProcessHost = {
    onSignal: (signal, handler) => handlers.set(signal, handler),
    exit: (code) => {
      exits.push(code);
      exited.resolve(code);
    },
    writeError: (text) => errors.push(text),
    setTimer: (ms, run) => timers.push({ ms, run }),
  };
  return {
    host,
    exits,
    errors,
    timers,
    signal: (signal: ShutdownSignal) => handlers.get(signal)!(),
    /** The next exit code. */
    nextExit(): Promise<number> {
      const next = exited.promise;
      void next.then(() => {
        exited = deferred<number>();
      });
      return next;
    },
  };
}

/** An app whose start and stop settle when the test says. */
function controlledApp() {
  const started = deferred<{ url: string }>();
  const stopped = deferred();
  const calls: string[] = [];
  let startSignal: AbortSignal | undefined;
  return {
    started,
    stopped,
    calls,
    startSignal: () => startSignal!,
    app: {
      start: (signal: AbortSignal) => {
        calls.push('start');
        startSignal = signal;
        return started.promise;
      },
      stop: () => {
        calls.push('stop');
        return stopped.promise;
      },
    },
  };
}

function entryFor(
  app: ReturnType<typeof controlledApp>['app'],
  announced: string[],
  extra: Partial<ProcessEntry<{ level: string }, { url: string }>> = {},
): ProcessEntry<{ level: string }, { url: string }> {
  return {
    name: 'test-process',
    loadConfig: () => ({ level: 'silent' }),
    logLevel: (config) => config.level,
    createApp: () => app,
    announce: ({ url }) => announced.push(url),
    ...extra,
  };
}

describe('runProcess', () => {
  it('prints a configuration error and exits with 2 without building anything', async () => {
    const fake = fakeHost();
    let built = false;
    await runProcess(
      {
        name: 'test-process',
        loadConfig: () => {
          throw new ConfigError('invalid configuration: PORT: too big');
        },
        logLevel: () => 'silent',
        createApp: () => {
          built = true;
          return controlledApp().app;
        },
      },
      fake.host,
    );
    expect(fake.errors).toEqual(['invalid configuration: PORT: too big\n']);
    expect(fake.exits).toEqual([2]);
    expect(built).toBe(false);
  });

  it('starts, announces, and on SIGTERM stops and exits with 0 under a deadline', async () => {
    const fake = fakeHost();
    const { app, started, stopped, calls } = controlledApp();
    const announced: string[] = [];
    const running = runProcess(entryFor(app, announced), fake.host);
    started.resolve({ url: 'http://127.0.0.1:1' });
    await running;
    expect(announced).toEqual(['http://127.0.0.1:1']);

    const exit = fake.nextExit();
    fake.signal('SIGTERM');
    expect(fake.timers.map((t) => t.ms)).toEqual([DEFAULT_STOP_DEADLINE_MS]);
    stopped.resolve();
    expect(await exit).toBe(0);
    expect(calls).toEqual(['start', 'stop']);
  });

  it('tells a start in progress to give up, lets it end before stopping, and announces nothing', async () => {
    const fake = fakeHost();
    const { app, started, stopped, calls, startSignal } = controlledApp();
    const announced: string[] = [];
    const running = runProcess(entryFor(app, announced), fake.host);
    expect(startSignal().aborted).toBe(false);
    fake.signal('SIGINT');
    await Promise.resolve();
    expect(startSignal().aborted).toBe(true);
    expect(calls).toEqual(['start']);
    const exit = fake.nextExit();
    started.resolve({ url: 'http://127.0.0.1:1' });
    await running;
    stopped.resolve();
    expect(await exit).toBe(0);
    expect(calls).toEqual(['start', 'stop']);
    expect(announced).toEqual([]);
  });

  it('stops and exits with 0 when the start gives up on the signal', async () => {
    const fake = fakeHost();
    const { app, started, stopped, calls, startSignal } = controlledApp();
    const running = runProcess(entryFor(app, []), fake.host);
    startSignal().addEventListener('abort', () => started.reject(startSignal().reason));
    const exit = fake.nextExit();
    fake.signal('SIGTERM');
    await running;
    stopped.resolve();
    expect(await exit).toBe(0);
    expect(calls).toEqual(['start', 'stop']);
  });

  it('exits at once with 128 + the signal on a second signal, and with 1 past the deadline', async () => {
    const fake = fakeHost();
    const { app, started } = controlledApp();
    const running = runProcess(entryFor(app, [], { stopDeadlineMs: 5000 }), fake.host);
    started.resolve({ url: 'u' });
    await running;
    fake.signal('SIGTERM');
    fake.signal('SIGINT');
    expect(fake.exits).toEqual([130]);

    const late = fakeHost();
    const slow = controlledApp();
    const lateRun = runProcess(entryFor(slow.app, [], { stopDeadlineMs: 5000 }), late.host);
    slow.started.resolve({ url: 'u' });
    await lateRun;
    late.signal('SIGTERM');
    expect(late.timers.map((t) => t.ms)).toEqual([5000]);
    late.timers[0]!.run();
    expect(late.exits).toEqual([1]);
  });

  it('exits with 1 when the start or the stop fails', async () => {
    const fake = fakeHost();
    const failing = controlledApp();
    const run = runProcess(entryFor(failing.app, []), fake.host);
    failing.started.reject(new Error('no database'));
    await run;
    expect(fake.exits).toEqual([1]);
    // The app cleans up after its own failed start; the entry does not stop it again.
    expect(failing.calls).toEqual(['start']);

    const other = fakeHost();
    const broken = controlledApp();
    const running = runProcess(entryFor(broken.app, []), other.host);
    broken.started.resolve({ url: 'u' });
    await running;
    const exit = other.nextExit();
    other.signal('SIGTERM');
    broken.stopped.reject(new Error('broker gone'));
    expect(await exit).toBe(1);
  });
});
