import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type EngineProcess, engineProcess, startOrRemove } from './engine-process';
import { freePort } from './free-port';
import { tcpGreeting } from './tcp-greeting';

const REDIS_SERVER = process.env.TEST_REDIS_SERVER ?? '/usr/bin/redis-server';

export interface RedisProcess extends EngineProcess {
  readonly port: number;
  readonly url: string;
}

/**
 * A Redis server of the test's own on a free loopback port, keeping nothing on disk (no snapshots, no
 * append-only file), as a cache is commonly run: a restart after a kill starts empty, so whatever used it
 * must rebuild what it finds missing. Started; `stop` removes its working directory.
 */
export async function startRedisProcess(): Promise<RedisProcess> {
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'tickfolio-redis-'));
  const engine = engineProcess({
    name: `redis-server on port ${port}`,
    command: REDIS_SERVER,
    args: ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
    ready: async () => (await tcpGreeting(port, 'PING\r\n')).startsWith('+PONG'),
    remove: () => rm(dir, { recursive: true, force: true }),
  });
  await startOrRemove(engine);
  return Object.assign(engine, { port, url: `redis://127.0.0.1:${port}` });
}
