import { z } from 'zod';

/**
 * The desktop app's configuration: which Tickfolio server it is the desk of. Read once at start-up from
 * the environment (TICKFOLIO_SERVER_URL), else the settings file in the user-data folder
 * (`settings.json`: `{ "serverUrl": "https://…" }`), else the local server of `pnpm start`. The
 * environment wins so one launch can point elsewhere without editing the file.
 */
export interface DesktopConfig {
  /** The server's origin, e.g. `http://127.0.0.1:4000`: the only place the window may load or connect. */
  readonly serverOrigin: string;
  /** The desk the window shows: the renderer build the server serves at /app/. */
  readonly appUrl: string;
  /** Opens the developer tools and adds their menu item (`--dev`, the package's `dev` script). */
  readonly devTools: boolean;
}

export const DEFAULT_SERVER_URL = 'http://127.0.0.1:4000';

export class DesktopConfigError extends Error {
  override readonly name = 'DesktopConfigError';
}

/**
 * A server is named by its origin alone. A path, query or credentials would be silently dropped by the
 * CSP and the sender checks, which compare origins, so they are refused rather than half-honoured.
 */
const serverUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
  .transform((text, ctx) => {
    const url = new URL(text);
    if (
      url.username ||
      url.password ||
      url.search ||
      url.hash ||
      (url.pathname !== '/' && url.pathname !== '')
    ) {
      ctx.addIssue({
        code: 'custom',
        message: 'must be the server origin alone, like https://tickfolio.example',
      });
      return z.NEVER;
    }
    return url.origin;
  });

const settingsSchema = z.object({ serverUrl: serverUrl.optional() }).loose();

export interface ConfigSources {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The settings file's text, or undefined when there is none. */
  readonly settingsText: string | undefined;
  readonly argv: readonly string[];
}

export function parseDesktopConfig({ env, settingsText, argv }: ConfigSources): DesktopConfig {
  const fromEnv = env.TICKFOLIO_SERVER_URL?.trim();
  const serverOrigin = fromEnv
    ? parseOrThrow(serverUrl, fromEnv, 'TICKFOLIO_SERVER_URL')
    : (readSettings(settingsText).serverUrl ?? parseOrThrow(serverUrl, DEFAULT_SERVER_URL, 'default'));
  return { serverOrigin, appUrl: `${serverOrigin}/app/`, devTools: argv.includes('--dev') };
}

function readSettings(text: string | undefined): z.output<typeof settingsSchema> {
  if (text === undefined) return {};
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new DesktopConfigError('settings.json: not valid JSON');
  }
  return parseOrThrow(settingsSchema, json, 'settings.json');
}

function parseOrThrow<Schema extends z.ZodType>(
  schema: Schema,
  value: unknown,
  source: string,
): z.output<Schema> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues
    .map((i) => (i.path.length > 0 ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
  throw new DesktopConfigError(`${source}: ${problems}`);
}
