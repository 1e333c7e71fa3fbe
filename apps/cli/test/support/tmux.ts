import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';

const exec = promisify(execFile);

/** A private tmux server (its own socket) with one detached session, for driving a terminal program. */
export async function openTmux(command: string, size = { columns: 160, rows: 50 }) {
  const socket = `tickfolio-test-${randomBytes(4).toString('hex')}`;
  const tmux = (...args: string[]) => exec('tmux', ['-L', socket, ...args]);
  await tmux('new-session', '-d', '-s', 'main', '-x', String(size.columns), '-y', String(size.rows), command);
  return {
    /** The screen as text; with `escapes`, including colour codes. */
    async screen(escapes = false): Promise<string> {
      const { stdout } = await tmux('capture-pane', '-p', ...(escapes ? ['-e'] : []), '-t', 'main');
      return stdout;
    },
    async sendKeys(...keys: string[]): Promise<void> {
      await tmux('send-keys', '-t', 'main', ...keys);
    },
    async isRunning(): Promise<boolean> {
      return tmux('has-session', '-t', 'main').then(
        () => true,
        () => false,
      );
    },
    async close(): Promise<void> {
      await tmux('kill-server').catch(() => undefined);
    },
  };
}

export type Tmux = Awaited<ReturnType<typeof openTmux>>;

/** Quotes a value for a POSIX shell command line. */
export const shellQuote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;
