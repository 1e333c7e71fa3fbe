import { randomUUID } from 'node:crypto';

/** Tests reach the machine's Redis here unless TEST_REDIS_URL says otherwise. */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A key prefix of its own, so a test's keys never meet another's on the shared Redis. */
export function testRedisKeyPrefix(): string {
  return `tickfolio-test:${randomUUID()}:`;
}
