import { describe, expect, it } from 'vitest';
import { natsServers, natsUrlSchema } from './connect-nats';

describe('NATS_URL', () => {
  it('names one broker or every node of a cluster, separated by commas', () => {
    expect(natsServers('nats://127.0.0.1:4222')).toEqual(['nats://127.0.0.1:4222']);
    expect(natsServers(' nats-1:4222, nats://nats-2:4222 ,tls://user:pw@nats-3.internal:4222,')).toEqual([
      'nats-1:4222',
      'nats://nats-2:4222',
      'tls://user:pw@nats-3.internal:4222',
    ]);
  });

  it('accepts host:port and nats URLs, and refuses what no client could connect to', () => {
    for (const good of ['127.0.0.1:4222', 'nats://a:4222,nats://b:4222,nats://c:4222', 'nats://[::1]:4222']) {
      expect(natsUrlSchema.safeParse(good).success).toBe(true);
    }
    for (const bad of ['', ' , ', 'http://nats:4222', 'nats://a:4222 nats://b:4222', 'nats://a:4222/x/y']) {
      expect(natsUrlSchema.safeParse(bad).success).toBe(false);
    }
  });
});
