import { render, useApp, useInput, useStdin, useStdout } from 'ink';
import { type ReactElement, type ReactNode, useEffect, useState, useSyncExternalStore } from 'react';
import { type TerminalSize, TerminalSizeContext } from '../components/terminal-size';
import { ColorContext } from '../components/theme';
import { createStore, type Store } from '../live/store';
import { type Output, write } from './output';

/** What a live feed does with the dashboard: dispatch events; stop() when the view closes. */
export interface LiveFeed<E> {
  start(dispatch: (event: E) => void, fail: (error: unknown) => void): () => void;
}

export interface LiveView<S, E> {
  readonly reduce: (state: S, event: E) => S;
  readonly initial: S;
  readonly view: (state: S) => ReactElement;
  /** A plain line per update for a pipe (null: print nothing for this event). */
  readonly line: (state: S, event: E) => string | null;
  /** Events that count as updates (for `updates`), e.g. snapshots. */
  readonly isUpdate: (event: E) => boolean;
  readonly tick: (at: number) => E;
  readonly now: () => number;
}

/** The terminal's size, followed as it is resized. */
const sizeOf = (stdout: NodeJS.WriteStream): TerminalSize => ({
  columns: stdout.columns || 80,
  rows: stdout.rows || 24,
});

function FitTerminal({ children }: { children: ReactNode }) {
  const { stdout } = useStdout();
  const [size, setSize] = useState(() => sizeOf(stdout));
  useEffect(() => {
    const onResize = () => setSize(sizeOf(stdout));
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  return <TerminalSizeContext.Provider value={size}>{children}</TerminalSizeContext.Provider>;
}

function Live<S, E>({ store, view }: { store: Store<S, E>; view: (state: S) => ReactElement }) {
  const state = useSyncExternalStore(store.subscribe, store.getState);
  const { exit } = useApp();
  const { isRawModeSupported } = useStdin();
  useInput(
    (input, key) => {
      if (input === 'q' || key.escape || (key.ctrl && input === 'c')) exit();
    },
    { isActive: isRawModeSupported === true },
  );
  return view(state);
}

/**
 * Shows a live view until the user quits (q, Esc, Ctrl-C), the process is interrupted, `updates`
 * updates have arrived, or the feed fails. On a terminal it redraws in place and ticks every second
 * (ages, fading flashes); in a pipe it prints one plain line per update. Resolves when done; rejects
 * with the feed's error.
 */
export function renderLive<S, E>(
  out: Output,
  live: LiveView<S, E>,
  feed: LiveFeed<E>,
  options: { updates?: number | undefined } = {},
): Promise<void> {
  const store = createStore(live.reduce, live.initial);
  let seen = 0;
  return new Promise<void>((resolve, reject) => {
    let finished = false;
    let instance: ReturnType<typeof render> | undefined;
    let ticker: NodeJS.Timeout | undefined;
    let stop: () => void = () => undefined;
    const onSignal = () => finish();
    const finish = (error?: unknown) => {
      if (finished) return;
      finished = true;
      if (ticker) clearInterval(ticker);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      stop();
      const settle = () => (error === undefined ? resolve() : reject(error));
      if (instance) {
        instance.unmount();
        instance.waitUntilExit().then(settle, settle);
      } else settle();
    };
    const dispatch = (event: E) => {
      if (finished) return;
      const state = store.dispatch(event);
      if (!out.interactive) {
        const line = live.line(state, event);
        if (line !== null) void write(out.stdout, `${line}\n`);
      }
      if (live.isUpdate(event)) {
        seen += 1;
        if (options.updates !== undefined && seen >= options.updates) setImmediate(() => finish());
      }
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    if (out.interactive) {
      instance = render(
        <ColorContext.Provider value={out.color}>
          <FitTerminal>
            <Live store={store} view={live.view} />
          </FitTerminal>
        </ColorContext.Provider>,
        { stdout: out.stdout, stdin: out.stdin, patchConsole: false, exitOnCtrlC: false },
      );
      instance.waitUntilExit().then(
        () => finish(),
        (error: unknown) => finish(error),
      );
      ticker = setInterval(() => store.dispatch(live.tick(live.now())), 250);
    }
    try {
      stop = feed.start(dispatch, (error) => finish(error ?? new Error('the live feed failed')));
    } catch (error) {
      finish(error);
    }
  });
}
