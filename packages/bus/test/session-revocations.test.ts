import { connect } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createNatsSessionRevocations } from '../src/session-revocations';
import { openTestBus, TEST_NATS_URL, type TestBus } from '../src/testing';

const USER = '0b6f3c1e-8d4a-4f0e-9b7a-3c2d1e0f9a8b';
const CLIENT = 'tfc_AbCdEfGhIjKlMn-_';

describe('session revocations over NATS', () => {
  let bus: TestBus;
  beforeAll(async () => {
    bus = await openTestBus();
  });
  afterAll(() => bus?.close());

  it('reach every follower on another connection under the same prefix, and only user and API client ids pass', async () => {
    const other = await connect({ servers: TEST_NATS_URL });
    try {
      const heard: string[] = [];
      const stop = createNatsSessionRevocations(other, bus.names).follow((id) => heard.push(id));
      await other.flush();
      const announcer = createNatsSessionRevocations(bus.nc, bus.names);
      bus.nc.publish(bus.names.sessionsRevokedSubject, 'not-a-user-id');
      bus.nc.publish(bus.names.sessionsRevokedSubject, 'tfc_too-short');
      announcer.announce(USER);
      announcer.announce(CLIENT);
      await vi.waitFor(() => expect(heard).toEqual([USER, CLIENT]));
      stop();
    } finally {
      await other.close();
    }
  });
});
