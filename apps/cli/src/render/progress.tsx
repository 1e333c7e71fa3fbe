import { render } from 'ink';
import { ProgressBar } from '../components/ProgressBar';
import { ColorContext } from '../components/theme';
import type { Output } from './output';

/**
 * Runs `work`, showing a progress bar of `total` steps on stderr while it does (only on a terminal:
 * scripts get no noise). `work` calls `step(label)` as each step starts; resolves with its result.
 */
export async function renderProgress<T>(
  out: Output,
  total: number,
  work: (step: (label: string) => void) => Promise<T>,
): Promise<T> {
  if (!out.interactive) return work(() => undefined);
  let done = -1;
  const view = (label: string) => (
    <ColorContext.Provider value={out.color}>
      <ProgressBar label={label} done={Math.max(0, done)} total={total} />
    </ColorContext.Provider>
  );
  const instance = render(view('starting'), {
    stdout: out.stderr,
    stdin: out.stdin,
    patchConsole: false,
    exitOnCtrlC: false,
  });
  try {
    return await work((label) => {
      done += 1;
      instance.rerender(view(label));
    });
  } finally {
    done = total;
    instance.rerender(view('done'));
    instance.unmount();
    await instance.waitUntilExit();
  }
}
