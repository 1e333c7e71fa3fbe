import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const BIN = join(import.meta.dirname, '../../bin/tickfolio.js');
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

/** Runs the real binary as a child process, as a script would: a pipe for stdout, no terminal. */
export function runCli(args: readonly string[], options: CliOptions): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: tmpdir(),
      env: {
        PATH: process.env.PATH ?? '',
        HOME: options.configDir,
        TICKFOLIO_CONFIG_DIR: options.configDir,
        ...(options.server ? { TICKFOLIO_SERVER: options.server } : {}),
        ...options.env,
      },
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
  const run = await runCli(['login', '--email', email, '--password-stdin'], {
    configDir,
    server,
    input: `${password}\n`,
  });
  if (run.code !== 0) throw new Error(`login failed (${run.code}): ${run.stderr}`);
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching escape codes is the point
export const ANSI_ESCAPE = /\u001b\[/;
