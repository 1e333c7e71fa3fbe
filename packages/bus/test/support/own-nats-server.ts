import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@tickfolio/testing';

const NATS_SERVER = process.env.TEST_NATS_SERVER_BIN ?? '/usr/sbin/nats-server';
const READY_WITHIN_MS = 20_000;

/** A nats-server of the test's own, on a free port: the machine's broker (4222) is never touched. */
export interface OwnNatsServer {
  readonly url: string;
  /**
   * Shuts the broker down (SIGTERM: it writes its state out first, as a restarted broker would):
   * every connection drops.
   */
  stop(): Promise<void>;
  /** Starts it again on the same port, with its store as it was, or `empty` (every stream lost). */
  start(options?: { readonly empty?: boolean }): Promise<void>;
  /** Stops it for good and removes its stores. */
  close(): Promise<void>;
}

/** Spawns the broker and resolves once it says it is ready. */
function spawnBroker(port: number, storeDir: string): Promise<ChildProcess> {
  const child = spawn(NATS_SERVER, ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', storeDir], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`nats-server not ready within ${READY_WITHIN_MS} ms: ${output.slice(-2000)}`));
    }, READY_WITHIN_MS);
    child.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Server is ready')) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`nats-server exited with ${code}: ${output.slice(-2000)}`));
    });
  });
}

function stopped(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

export async function startOwnNatsServer(): Promise<OwnNatsServer> {
  const port = await freePort();
  const stores: string[] = [];
  const newStore = async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tickfolio-nats-'));
    stores.push(dir);
    return dir;
  };
  let store = await newStore();
  let child: ChildProcess | undefined = await spawnBroker(port, store);
  return {
    url: `nats://127.0.0.1:${port}`,
    async stop() {
      if (child) await stopped(child);
      child = undefined;
    },
    async start(options = {}) {
      if (options.empty) store = await newStore();
      child = await spawnBroker(port, store);
    },
    async close() {
      if (child) await stopped(child);
      child = undefined;
      await Promise.all(stores.map((dir) => rm(dir, { recursive: true, force: true })));
    },
  };
}
