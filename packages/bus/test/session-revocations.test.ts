import { connect } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createNatsSessionRevocations } from '../src/session-revocations';
import { openTestBus, TEST_NATS_URL, type TestBus } from '../src/testing';

const USER = '0b6f3c1e-8d4a-4f0e-9b7a-3c2d1e0f9a8b';

describe('session revocations over NATS', () => {
  let bus: TestBus;
  beforeAll(async () => {
    bus = await openTestBus();
  });
  afterAll(() => bus?.close());

  it('reach every follower on another connection under the same prefix, and only user ids pass', async () => {
    const other = await connect({ servers: TEST_NATS_URL });
    try {
      const heard: string[] = [];
      const stop = createNatsSessionRevocations(other, bus.names).follow((userId) => heard.push(userId));
      await other.flush();
      const announcer = createNatsSessionRevocations(bus.nc, bus.names);
      bus.nc.publish(bus.names.sessionsRevokedSubject, 'not-a-user-id');
      announcer.announce(USER);
      await vi.waitFor(() => expect(heard).toEqual([USER]));
      stop();
    } finally {
      await other.close();
    }
  });
});
