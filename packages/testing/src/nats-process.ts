import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type EngineProcess, engineProcess, startOrRemove } from './engine-process';
import { freePort } from './free-port';
import { tcpGreeting } from './tcp-greeting';

const NATS_SERVER = process.env.TEST_NATS_SERVER ?? '/usr/sbin/nats-server';

export interface NatsProcess extends EngineProcess {
  readonly port: number;
  /** The broker's URL. */
  readonly url: string;
}

/**
 * A NATS server with JetStream of the test's own, on a free loopback port, its streams stored in a
 * temporary directory: a kill loses only what the server had not written yet, and a restart finds the
 * streams, their messages and consumers again. Started; `stop` removes the store.
 */
export async function startNatsProcess(): Promise<NatsProcess> {
  const port = await freePort();
  const store = await mkdtemp(join(tmpdir(), 'tickfolio-nats-'));
  const engine = engineProcess({
    name: `nats-server on port ${port}`,
    command: NATS_SERVER,
    args: ['-js', '-sd', store, '-a', '127.0.0.1', '-p', String(port)],
    ready: async () => (await tcpGreeting(port)).startsWith('INFO '),
    remove: () => rm(store, { recursive: true, force: true }),
  });
  await startOrRemove(engine);
  return Object.assign(engine, { port, url: `nats://127.0.0.1:${port}` });
}
