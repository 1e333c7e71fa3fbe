import { connect, type NatsConnection } from '@nats-io/transport-node';

/**
 * The one way a process connects: it keeps reconnecting for as long as it runs (JetStream survives
 * broker restarts, and the consume loops resume), and builds no Error (with its stack) ahead of every
 * request in case it fails: a JetStream publish is a request, and the valuer publishes one per price
 * (5 % of the server's time at 1,000 ticks/s).
 */
export function connectNats(url: string, name: string): Promise<NatsConnection> {
  return connect({
    servers: url,
    name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 1000,
    noAsyncTraces: true,
  });
}
