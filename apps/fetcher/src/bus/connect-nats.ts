import { connect, type NatsConnection } from '@nats-io/transport-node';

/** Connects and keeps reconnecting for as long as the process runs (JetStream survives broker restarts). */
export function connectNats(url: string, name: string): Promise<NatsConnection> {
  // noAsyncTraces: no Error (with its stack) built ahead of every publish in case it fails.
  return connect({
    servers: url,
    name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 1000,
    noAsyncTraces: true,
  });
}
