import { connect, type NatsConnection } from '@nats-io/transport-node';

/** Connects and keeps reconnecting for as long as the process runs (JetStream survives broker restarts). */
export function connectNats(url: string, name: string): Promise<NatsConnection> {
  return connect({ servers: url, name, maxReconnectAttempts: -1, reconnectTimeWait: 1000 });
}
