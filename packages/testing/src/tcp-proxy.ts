import { createServer, type Socket, connect as tcpConnect } from 'node:net';

/**
 * How the proxy treats its link:
 * - `pass`: bytes flow both ways.
 * - `reset`: every open connection is reset (TCP RST, as a crashed or failed-over server does) and every
 *   new one is reset as soon as it is accepted, until the mode changes.
 * - `blackhole`: nothing flows and nothing is closed, as when a network drops packets: open connections
 *   go silent (what is sent is held, and delivered if the link comes back, as TCP retransmits it), new
 *   connections are accepted but not carried on to the target until then. Only the peers' own timeouts
 *   end such a wait.
 * - `{ latencyMs }`: bytes flow, each chunk held this long first (order kept).
 */
export type TcpProxyMode = 'pass' | 'reset' | 'blackhole' | { readonly latencyMs: number };

export interface TcpProxyOptions {
  readonly target: { readonly host: string; readonly port: number };
  /** The mode at start; `pass` unless given. */
  readonly mode?: TcpProxyMode;
}

export interface TcpProxy {
  readonly host: string;
  readonly port: number;
  /** `url` with its host and port replaced by the proxy's (a DATABASE_URL or REDIS_URL through it). */
  url(url: string): string;
  /** Changes the mode for open and new connections alike. */
  setMode(mode: TcpProxyMode): void;
  readonly mode: TcpProxyMode;
  /** Resets every open connection once (TCP RST both ways) and keeps accepting new ones as the mode says. */
  resetConnections(): void;
  /**
   * Silences every open connection for good, whatever the mode becomes, while new ones follow the mode:
   * a failover, where the old server vanished without a word and a new one answers at the same address.
   */
  strandConnections(): void;
  /** Connections open now (client side accepted and not yet closed). */
  readonly openConnections: number;
  /** Connections accepted since the start. */
  readonly acceptedConnections: number;
  /** Closes the listener and destroys every connection. */
  stop(): Promise<void>;
}

/** One direction of a connection: chunks read from `from`, written to `to` when the mode lets them. */
interface Direction {
  readonly from: Socket;
  readonly to: Socket;
  /** Chunks read but not yet written (blackholed or delayed), each with the time it may leave. */
  readonly held: { chunk: Buffer; due: number }[];
  timer: NodeJS.Timeout | null;
  /** The read side ended: end the write side once everything held has left. */
  ended: boolean;
  /** Never writes again (see strandConnections). */
  stranded: boolean;
}

/** A client's connection and, once it is carried on, its connection to the target. */
interface Link {
  readonly client: Socket;
  /** Null while a blackhole keeps the connection from reaching the target. */
  up: Direction | null;
  down: Direction | null;
  /** Silent for good (see strandConnections). */
  stranded: boolean;
}

const DEFAULT_PORTS: Readonly<Record<string, number>> = {
  'postgres:': 5432,
  'postgresql:': 5432,
  'redis:': 6379,
};

/** The host and port a URL names (its scheme's default port when it names none): a proxy's target. */
export function targetOf(url: string): TcpProxyOptions['target'] {
  const u = new URL(url);
  const port = u.port ? Number(u.port) : DEFAULT_PORTS[u.protocol];
  if (port === undefined) throw new Error(`${u.protocol} URL without a port`);
  return { host: u.hostname, port };
}

/** Bounded so a blackholed sender is slowed by TCP back-pressure instead of filling our memory. */
const HELD_HIGH_WATER = 64;

/**
 * A TCP proxy in front of an engine (PostgreSQL, Redis, NATS) that a test can cut, reset, black-hole or
 * slow down, to see how a process behaves when its link to the engine fails the ways networks fail.
 * Listens on a free loopback port. Being a process on the same machine, it cannot make the kernel drop
 * TCP keepalive probes: a blackhole is seen only by the peers' own timeouts, never by keepalive.
 */
export async function startTcpProxy(options: TcpProxyOptions): Promise<TcpProxy> {
  const { target } = options;
  let mode: TcpProxyMode = options.mode ?? 'pass';
  const links = new Set<Link>();
  let accepted = 0;

  const latencyOf = (m: TcpProxyMode) => (typeof m === 'object' ? m.latencyMs : 0);
  const flowing = () => mode !== 'blackhole' && mode !== 'reset';

  /** Ends both connections with a TCP RST. */
  function reset(link: Link): void {
    if (!links.delete(link)) return;
    for (const d of [link.up, link.down]) if (d?.timer) clearTimeout(d.timer);
    link.client.resetAndDestroy();
    link.up?.to.resetAndDestroy();
  }

  /** Closes both connections (without a reset). */
  function close(link: Link): void {
    if (!links.delete(link)) return;
    for (const d of [link.up, link.down]) if (d?.timer) clearTimeout(d.timer);
    link.client.destroy();
    link.up?.to.destroy();
  }

  /** Writes what is due of one direction, and schedules the rest. */
  function pump(d: Direction | null): void {
    if (!d) return;
    if (d.timer) {
      clearTimeout(d.timer);
      d.timer = null;
    }
    if (!flowing() || d.stranded) return;
    const now = Date.now();
    while (d.held.length && d.held[0]!.due <= now) d.to.write(d.held.shift()!.chunk);
    if (d.held.length) {
      d.timer = setTimeout(() => pump(d), d.held[0]!.due - now);
      return;
    }
    if (d.from.isPaused()) d.from.resume();
    if (d.ended && !d.to.writableEnded) d.to.end();
  }

  /** Starts carrying `from`'s bytes to `to`. */
  function carry(from: Socket, to: Socket): Direction {
    const d: Direction = { from, to, held: [], timer: null, ended: false, stranded: false };
    from.on('data', (chunk: Buffer) => {
      // Never before what is already held, so a change of latency never reorders bytes.
      const last = d.held.at(-1)?.due ?? 0;
      d.held.push({ chunk, due: Math.max(Date.now() + latencyOf(mode), last) });
      if (d.held.length >= HELD_HIGH_WATER) from.pause();
      pump(d);
    });
    from.on('end', () => {
      d.ended = true;
      pump(d);
    });
    return d;
  }

  /** Carries a client's connection on to the target (at once, or when a blackhole lifts). */
  function connectUpstream(link: Link): void {
    const server = tcpConnect({ host: target.host, port: target.port, allowHalfOpen: true });
    link.up = carry(link.client, server);
    link.down = carry(server, link.client);
    link.client.resume();
    server.on('error', () => reset(link));
    // A target that closed after its last bytes: those still held for the client leave first.
    server.on('close', () => {
      if (!link.down?.held.length) close(link);
    });
  }

  const listener = createServer({ allowHalfOpen: true, pauseOnConnect: true }, (client) => {
    accepted += 1;
    const link: Link = { client, up: null, down: null, stranded: false };
    links.add(link);
    client.on('error', () => reset(link));
    client.on('close', () => close(link));
    if (mode === 'reset') reset(link);
    else if (mode !== 'blackhole') connectUpstream(link);
  });
  await new Promise<void>((resolve, reject) => {
    listener.once('error', reject);
    listener.listen(0, '127.0.0.1', () => resolve());
  });
  const address = listener.address();
  if (typeof address !== 'object' || address === null) throw new Error('the proxy has no port');
  const port = address.port;

  return {
    host: '127.0.0.1',
    port,
    url(url) {
      const u = new URL(url);
      u.hostname = '127.0.0.1';
      u.port = String(port);
      return u.toString();
    },
    get mode() {
      return mode;
    },
    setMode(next) {
      mode = next;
      for (const link of [...links]) {
        if (mode === 'reset') {
          reset(link);
          continue;
        }
        if (mode === 'blackhole' || link.stranded) continue;
        if (!link.up) connectUpstream(link);
        pump(link.up);
        pump(link.down);
      }
    },
    resetConnections() {
      for (const link of [...links]) reset(link);
    },
    strandConnections() {
      for (const link of links) {
        link.stranded = true;
        for (const d of [link.up, link.down]) if (d) d.stranded = true;
      }
    },
    get openConnections() {
      return links.size;
    },
    get acceptedConnections() {
      return accepted;
    },
    stop() {
      for (const link of [...links]) close(link);
      return new Promise<void>((resolve) => listener.close(() => resolve()));
    },
  };
}
