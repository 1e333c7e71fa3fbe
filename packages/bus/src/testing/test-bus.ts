import { randomBytes } from 'node:crypto';
import { type JetStreamClient, type JetStreamManager, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { natsServers } from '../connect-nats';
import { type StreamNames, streamNames } from '../stream-names';

/** Tests reach the machine's NATS here unless TEST_NATS_URL says otherwise. */
export const TEST_NATS_URL = process.env.TEST_NATS_URL ?? 'nats://127.0.0.1:4222';

/** A stream prefix of this test run's own: the broker is shared with other test files. */
function uniqueStreamPrefix(): string {
  return `t${randomBytes(5).toString('hex')}_`;
}

/** A test's own view of the broker: a unique stream prefix, a JetStream client, clean-up. */
export interface TestBus {
  readonly nc: NatsConnection;
  readonly names: StreamNames;
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  /** How many messages a stream holds now. */
  messageCount(stream: string): Promise<number>;
  /** Deletes every stream under the prefix, then closes the connection. */
  close(): Promise<void>;
}

/**
 * Connects to the machine's broker (or `url`: one broker, or a cluster's nodes separated by commas) under
 * a stream prefix no other test uses.
 */
export async function openTestBus(url = TEST_NATS_URL): Promise<TestBus> {
  const prefix = uniqueStreamPrefix();
  const nc = await connect({ servers: natsServers(url), noAsyncTraces: true });
  const jsm = await jetstreamManager(nc);
  return {
    nc,
    names: streamNames(prefix),
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
