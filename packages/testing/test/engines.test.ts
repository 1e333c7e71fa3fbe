import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import pg from 'pg';
import { afterAll, describe, expect, it, vi } from 'vitest';
import {
  type EngineProcess,
  type Recipe,
  startNatsProcess,
  startPostgresProcess,
  startRedisProcess,
} from '../src';
import { tcpGreeting } from '../src/tcp-greeting';

const started: EngineProcess[] = [];
afterAll(() => Promise.all(started.map((engine) => engine.stop())));

function track<E extends EngineProcess>(engine: E): E {
  started.push(engine);
  return engine;
}

/** Runs one query on a connection of its own to `url`. */
async function query(url: string, text: string): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}

/** Whether nothing takes connections on the port. */
async function refused(port: number): Promise<boolean> {
  return tcpGreeting(port, 'PING\r\n').then(
    () => false,
    (error: NodeJS.ErrnoException) => error.code === 'ECONNREFUSED',
  );
}

describe('engine processes of a test’s own', () => {
  it('PostgreSQL: a copy of the run’s template cluster with the recipe built in; a kill keeps what was committed', async () => {
    const fruit: Recipe = {
      name: 'engines_fruit',
      build: async (url) => {
        await query(url, `create table fruit (name text); insert into fruit values ('apple')`);
      },
    };
    const [a, b] = await Promise.all([
      startPostgresProcess({ database: fruit }).then(track),
      startPostgresProcess({ database: fruit }).then(track),
    ]);
    expect(a.port).not.toBe(b.port);
    await query(a.url, `insert into fruit values ('pear')`);
    // Each copy is its own: b never sees a's row.
    expect(await query(b.url, 'select name from fruit order by name')).toEqual([{ name: 'apple' }]);

    await a.kill();
    expect(a.running).toBe(false);
    expect(await refused(a.port)).toBe(true);
    await a.start();
    expect(a.running).toBe(true);
    expect(await query(a.url, 'select name from fruit order by name')).toEqual([
      { name: 'apple' },
      { name: 'pear' },
    ]);
  });

  it('Redis: starts empty again after a kill (it keeps nothing on disk)', async () => {
    const redis = track(await startRedisProcess());
    expect(await tcpGreeting(redis.port, 'SET fruit apple\r\n')).toBe('+OK\r\n');
    expect(await tcpGreeting(redis.port, 'GET fruit\r\n')).toBe('$5\r\napple\r\n');
    await redis.kill();
    expect(await refused(redis.port)).toBe(true);
    await redis.start();
    expect(await tcpGreeting(redis.port, 'GET fruit\r\n')).toBe('$-1\r\n');
  });

  it('NATS: a restart after a kill finds the streams and their messages in the store', async () => {
    const nats = track(await startNatsProcess());
    const nc = await connect({ servers: nats.url, reconnectTimeWait: 100, maxReconnectAttempts: -1 });
    try {
      const jsm = await jetstreamManager(nc, { timeout: 1000 });
      await jsm.streams.add({ name: 'FRUIT', subjects: ['fruit.>'] });
      await jsm.jetstream().publish('fruit.apple', 'apple');
      await nats.kill();
      expect(await refused(nats.port)).toBe(true);
      await nats.start();
      // The client reconnects by itself (a request made before it has may go unanswered); the stream and
      // its message are back.
      await vi.waitFor(async () => expect((await jsm.streams.info('FRUIT')).state.messages).toBe(1), {
        timeout: 20_000,
      });
    } finally {
      await nc.close();
    }
  });

  it('stop ends the engine and removes its files', async () => {
    const redis = await startRedisProcess();
    await redis.stop();
    expect(redis.running).toBe(false);
    expect(await refused(redis.port)).toBe(true);
  });
});
