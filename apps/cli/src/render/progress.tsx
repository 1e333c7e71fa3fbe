import { render } from 'ink';
import { Spinner } from '../components/Spinner';
import { ColorContext } from '../components/theme';
import type { Output } from './output';

/**
 * Runs `work`, showing a spinner with what is under way on stderr while it does (only on a terminal:
 * scripts get no noise). `work` calls `say(label)` as each stage starts; resolves with its result.
 */
export async function renderProgress<T>(
  out: Output,
  work: (say: (label: string) => void) => Promise<T>,
): Promise<T> {
  if (!out.interactive) return work(() => undefined);
  const view = (label: string) => (
    <ColorContext.Provider value={out.color}>
      <Spinner label={label} />
    </ColorContext.Provider>
  );
  const instance = render(view('starting'), {
    stdout: out.stderr,
    stdin: out.stdin,
    patchConsole: false,
    exitOnCtrlC: false,
  });
  try {
    return await work((label) => instance.rerender(view(label)));
  } finally {
    instance.clear();
    instance.unmount();
    await instance.waitUntilExit();
  }
}
