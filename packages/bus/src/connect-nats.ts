import { connect, type NatsConnection } from '@nats-io/transport-node';
import { z } from 'zod';

/**
 * The brokers a NATS_URL names: one address, or a comma-separated list of a cluster's nodes (the client
 * tries them in turn, at start and after losing a node, and learns the rest of the cluster from them).
 */
export function natsServers(url: string): string[] {
  return url
    .split(',')
    .map((server) => server.trim())
    .filter(Boolean);
}

/** One broker address: host:port or a nats://, tls://, ws:// or wss:// URL (credentials allowed). */
const NATS_SERVER =
  /^(?:(?:nats|tls|ws|wss):\/\/)?(?:[^\s@/,]+@)?(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(?::[0-9]{1,5})?\/?$/;

/** NATS_URL as both processes read it: one broker, or a cluster's nodes separated by commas. */
export const natsUrlSchema = z
  .string()
  .refine(
    (url) => natsServers(url).length > 0 && natsServers(url).every((server) => NATS_SERVER.test(server)),
    'must be a NATS address (host:port or nats://host:port), or several separated by commas',
  );

/**
 * The one way a process connects: it keeps reconnecting for as long as it runs (JetStream survives
 * broker restarts, and the consume loops resume), and builds no Error (with its stack) ahead of every
 * request in case it fails: a JetStream publish is a request, and the valuer publishes one per price
 * (5 % of the server's time at 1,000 ticks/s).
 */
export function connectNats(url: string, name: string): Promise<NatsConnection> {
  return connect({
    servers: natsServers(url),
    name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 1000,
    noAsyncTraces: true,
  });
}
