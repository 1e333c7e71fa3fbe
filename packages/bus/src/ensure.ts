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

/** Whether the broker's configuration already has every setting of the definition (the rest are its defaults). */
function matches(existing: object, wanted: object): boolean {
  return Object.entries(wanted).every(
    ([key, value]) =>
      value === undefined ||
      JSON.stringify((existing as Record<string, unknown>)[key]) === JSON.stringify(value),
  );
}

/**
 * Creates the stream or brings an existing one to this configuration, so every replica can run it at
 * start in any order. Settings the broker cannot change in place (storage, retention) fail loudly. A
 * stream already so configured is left alone: on a cluster, an update racing another replica's create
 * of a replicated stream goes unanswered until both requests time out (NATS 2.9).
 */
export async function ensureStream(
  jsm: JetStreamManager,
  config: Partial<StreamConfig> & { name: string },
): Promise<StreamInfo> {
  try {
    const existing = await jsm.streams.info(config.name);
    if (matches(existing.config, config)) return existing;
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
    const existing = await jsm.consumers.info(stream, config.durable_name);
    if (matches(existing.config, config)) return;
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
