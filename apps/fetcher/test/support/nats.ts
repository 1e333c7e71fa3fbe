import { randomBytes } from 'node:crypto';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { type StreamNames, streamNames } from '@tickfolio/core';

/** Tests reach the machine's NATS here unless TEST_NATS_URL says otherwise. */
export const TEST_NATS_URL = process.env.TEST_NATS_URL ?? 'nats://127.0.0.1:4222';

/** A stream prefix of this test run's own: the broker is shared with other test files. */
export function uniqueStreamPrefix(): string {
  return `t${randomBytes(5).toString('hex')}_`;
}

export interface TestBus {
  readonly nc: NatsConnection;
  readonly names: StreamNames;
  readonly js: ReturnType<typeof jetstream>;
  readonly jsm: Awaited<ReturnType<typeof jetstreamManager>>;
  /** How many messages a stream holds now. */
  messageCount(stream: string): Promise<number>;
  /** Deletes every stream under the prefix, then closes the connection. */
  close(): Promise<void>;
}

export async function openTestBus(prefix = uniqueStreamPrefix()): Promise<TestBus> {
  const nc = await connect({ servers: TEST_NATS_URL });
  const jsm = await jetstreamManager(nc);
  const names = streamNames(prefix);
  return {
    nc,
    names,
    js: jetstream(nc),
    jsm,
    async messageCount(stream) {
      return (await jsm.streams.info(stream)).state.messages;
    },
    async close() {
      for await (const name of jsm.streams.names()) {
        if (name.startsWith(prefix)) await jsm.streams.delete(name);
      }
      await nc.close();
    },
  };
}
