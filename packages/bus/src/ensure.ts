import {
  type ConsumerConfig,
  JetStreamApiCodes,
  JetStreamApiError,
  type JetStreamManager,
  type StreamConfig,
  type StreamInfo,
} from '@nats-io/jetstream';

function isNotFound(error: unknown, code: number): boolean {
  return error instanceof JetStreamApiError && error.code === code;
}

/**
 * Creates the stream or brings an existing one to this configuration, so every replica can run it at
 * start in any order. Settings the broker cannot change in place (storage, retention) fail loudly.
 */
export async function ensureStream(
  jsm: JetStreamManager,
  config: Partial<StreamConfig> & { name: string },
): Promise<StreamInfo> {
  try {
    await jsm.streams.info(config.name);
  } catch (error) {
    if (!isNotFound(error, JetStreamApiCodes.StreamNotFound)) throw error;
    try {
      return await jsm.streams.add(config);
    } catch (raced) {
      // Another replica created it between our look-up and add: fall through to the update.
      if (!(raced instanceof JetStreamApiError)) throw raced;
    }
  }
  const { name, ...settings } = config;
  return jsm.streams.update(name, settings);
}

/** Creates the durable consumer or updates its settings; idempotent like ensureStream. */
export async function ensureDurableConsumer(
  jsm: JetStreamManager,
  stream: string,
  config: Partial<ConsumerConfig> & { durable_name: string },
): Promise<void> {
  try {
    await jsm.consumers.info(stream, config.durable_name);
  } catch (error) {
    if (!isNotFound(error, JetStreamApiCodes.ConsumerNotFound)) throw error;
    try {
      await jsm.consumers.add(stream, config);
      return;
    } catch (raced) {
      if (!(raced instanceof JetStreamApiError)) throw raced;
    }
  }
  const { durable_name, deliver_policy, ack_policy, filter_subject, ...updatable } = config;
  await jsm.consumers.update(stream, durable_name, updatable);
}
