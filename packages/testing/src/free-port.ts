import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** The lowest port handed out: above the services a machine may run (PostgreSQL, Redis, NATS, metrics). */
const LOWEST = 20_000;
/** Tries before giving up: each picks a port at random and checks nothing listens on it. */
const TRIES = 100;

/** The first port the kernel gives outgoing connections (Linux's default when /proc does not say). */
function ephemeralLow(): number {
  try {
    const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/);
    const port = Number(low);
    if (Number.isInteger(port) && port > LOWEST + 1_000) return port;
  } catch {
    // Not Linux: its default will do.
  }
  return 32_768;
}

function listenable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/**
 * A TCP port on 127.0.0.1 that nothing listens on now, for a process a test starts to listen on. It is
 * picked at random below the kernel's ephemeral range, not by the kernel (listen on port 0): the kernel
 * takes outgoing connections' ports from that range too, and once a node of a test's NATS cluster,
 * connecting to its peers, got the very port another node was about to listen on (EADDRINUSE). Below
 * the range no connection is given a port; a probe checks that nothing listens on it now.
 */
export async function freePort(): Promise<number> {
  const high = ephemeralLow();
  for (let attempt = 0; attempt < TRIES; attempt++) {
    const port = LOWEST + Math.floor(Math.random() * (high - LOWEST));
    if (await listenable(port)) return port;
  }
  throw new Error(`no free port in ${LOWEST}–${high - 1} after ${TRIES} tries`);
}
