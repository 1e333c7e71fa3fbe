import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where the CLI talks to when neither --server, TICKFOLIO_SERVER nor a saved session says otherwise. */
export const DEFAULT_SERVER_URL = 'http://127.0.0.1:4000';

const PIPE_COLUMNS = 200;

/** Everything the CLI takes from its environment; the only place that reads process.env. */
export interface CliEnvironment {
  /** TICKFOLIO_SERVER, when set. */
  readonly serverUrl: string | undefined;
  /** Where the session file lives: TICKFOLIO_CONFIG_DIR, else $XDG_CONFIG_HOME/tickfolio, else ~/.config/tickfolio. */
  readonly configDir: string;
  /** Colours only on a terminal, and never with NO_COLOR or TERM=dumb. */
  readonly color: boolean;
  /** stdout is a terminal: live views redraw in place; otherwise they print plain lines. */
  readonly interactive: boolean;
  readonly columns: number;
  /** TICKFOLIO_PASSWORD, for scripted logins (`login --email E` without a prompt). */
  readonly password: string | undefined;
}

interface Terminal {
  readonly isTTY?: boolean;
  readonly columns?: number;
}

export function readEnvironment(
  env: NodeJS.ProcessEnv = process.env,
  stdout: Terminal = process.stdout,
): CliEnvironment {
  const nonEmpty = (value: string | undefined) => (value === undefined || value === '' ? undefined : value);
  const configDir =
    nonEmpty(env.TICKFOLIO_CONFIG_DIR) ??
    join(nonEmpty(env.XDG_CONFIG_HOME) ?? join(nonEmpty(env.HOME) ?? homedir(), '.config'), 'tickfolio');
  const interactive = stdout.isTTY === true;
  return {
    serverUrl: nonEmpty(env.TICKFOLIO_SERVER),
    configDir,
    color: interactive && nonEmpty(env.NO_COLOR) === undefined && env.TERM !== 'dumb',
    interactive,
    // A pipe has no width: lay out wide enough that tables are never cut.
    columns: interactive ? (stdout.columns ?? 100) : PIPE_COLUMNS,
    password: nonEmpty(env.TICKFOLIO_PASSWORD),
  };
}
