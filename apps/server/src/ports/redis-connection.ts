import type { Logger } from '@tickfolio/process';
import { Redis } from 'ioredis';
import type { ServerConfig } from '../config';

/** The server's Redis connection, shared by the cache and the rate limits, and its heartbeat. */
export interface RedisConnection {
  readonly redis: Redis;
  close(): void;
}

/**
 * Connects to Redis with every wait bounded (connecting, each command) and keeps the connection honest
 * with a heartbeat. A connection whose peer vanished without a word (a failover, a partition) stays
 * "ready" to ioredis, and TCP takes many minutes to notice when data is outstanding: each command would
 * time out, one after another, for all that time. A ping that times out instead drops the connection
 * and reconnects, so a Redis that moved is found again within seconds, and while none answers the
 * client is not ready, which makes the cache and the rate limits give up at once instead of after a
 * timeout each.
 */
export async function openRedisConnection(
  url: string,
  settings: ServerConfig['redisTimeouts'],
  log: Logger,
): Promise<RedisConnection> {
  const redis = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 2,
    enableOfflineQueue: false,
    connectTimeout: settings.connectMs,
    commandTimeout: settings.commandMs,
    keepAlive: settings.keepAliveMs,
  });
  // Reconnection is ioredis's own (forever, backing off); each failed attempt is reported here.
  redis.on('error', (err) => log.warn({ err }, 'redis connection failed'));
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    throw error;
  }
  let beating = false;
  const heartbeat = setInterval(() => {
    if (beating || redis.status !== 'ready') return;
    beating = true;
    redis
      .ping()
      .catch((err: unknown) => {
        if (redis.status !== 'ready') return;
        log.warn({ err }, 'redis did not answer its heartbeat; reconnecting');
        redis.disconnect(true);
      })
      .finally(() => {
        beating = false;
      });
  }, settings.heartbeatMs);
  heartbeat.unref();
  return {
    redis,
    close() {
      clearInterval(heartbeat);
      redis.disconnect();
    },
  };
}
