import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { readEnvironment } from '../../src/config';
import { run } from '../../src/run';

/** The built CLI (the test run's global setup builds it first). */
export const BIN = join(import.meta.dirname, '../../dist/tickfolio.js');
export const FIXTURES = join(import.meta.dirname, '../fixtures');

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliOptions {
  readonly configDir: string;
  readonly server?: string;
  /** Written to stdin, then closed (stdin is never a terminal here). */
  readonly input?: string;
  readonly env?: Record<string, string>;
}

/** What a run sees of the environment: only what a script would set, with the config directory as HOME. */
function cliEnv(options: CliOptions): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: options.configDir,
    TICKFOLIO_CONFIG_DIR: options.configDir,
    ...(options.server ? { TICKFOLIO_SERVER: options.server } : {}),
    ...options.env,
  };
}

/** A stream that keeps what is written to it. */
function collector() {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream: stream as unknown as NodeJS.WriteStream, text: () => text };
}

/**
 * Runs one command line in this process through `run`, as the binary does but without starting Node: stdout and stderr are pipes, stdin carries `input`, nothing is a
 * terminal.
 */
export async function runCli(args: readonly string[], options: CliOptions): Promise<CliRun> {
  const env = readEnvironment(cliEnv(options), { isTTY: false });
  const [stdout, stderr] = [collector(), collector()];
  const stdin = Readable.from(options.input ? [options.input] : []) as unknown as NodeJS.ReadStream;
  const code = await run(args, env, {
    stdout: stdout.stream,
    stderr: stderr.stream,
    stdin,
    color: env.color,
    interactive: env.interactive,
    columns: env.columns,
  });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

/**
 * Runs the built binary as a child process, as a script would: a pipe for stdout, no terminal. A
 * process start costs a tenth of a second or more under load, so most tests use runCli instead.
 */
export function spawnCli(args: readonly string[], options: CliOptions): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: tmpdir(),
      env: cliEnv(options),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

const madeDirs: string[] = [];

/** A fresh config directory; removeTempConfigDirs() deletes every one made. */
export async function tempConfigDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tickfolio-cli-test-'));
  madeDirs.push(dir);
  return dir;
}

export async function removeTempConfigDirs(): Promise<void> {
  await Promise.all(madeDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

/** A port nothing listens on (bound, then released). */
export function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Signs a config directory in through the CLI itself. */
export async function cliLogin(configDir: string, server: string, email: string, password: string) {
  const login = await runCli(['login', '--email', email, '--password-stdin'], {
    configDir,
    server,
    input: `${password}\n`,
  });
  if (login.code !== 0) throw new Error(`login failed (${login.code}): ${login.stderr}`);
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching escape codes is the point
export const ANSI_ESCAPE = /\u001b\[/;
