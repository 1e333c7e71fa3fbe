import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { Logger } from './logger';

export { Registry };

/**
 * An app's metrics registry. One per composition root, passed to what it measures: nothing reads
 * prom-client's global registry, so two apps in one process (a test's servers) keep their figures apart.
 */
export function createMetricsRegistry(): Registry {
  return new Registry();
}

let processMetrics: Registry | undefined;

/**
 * The default process and Node.js metrics (CPU, memory, event-loop lag, handles, GC) under their
 * conventional unprefixed names. They describe the process, not an app, and their collectors (a GC
 * observer, the event-loop monitor) cannot be stopped, so they are made once per process and served
 * beside every app's registry, however many apps the process starts and stops.
 */
function processRegistry(): Registry {
  if (!processMetrics) {
    processMetrics = new Registry();
    collectDefaultMetrics({ register: processMetrics });
  }
  return processMetrics;
}

export interface MetricsEndpoint {
  /** e.g. http://127.0.0.1:9464/metrics */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Serves `GET /metrics` in Prometheus' text format — the app's registry and the process's default
 * metrics — on a listener of its own, apart from the public API:
 * it is bound where the operator says (loopback by default), carries no rate limit, no CORS and no auth,
 * and a scrape never competes with clients for the API's limits.
 */
export async function serveMetrics(
  registry: Registry,
  where: { readonly host: string; readonly port: number },
  log: Logger,
): Promise<MetricsEndpoint> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?', 1)[0];
    if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    Promise.all([registry.metrics(), processRegistry().metrics()]).then(
      ([app, own]) => res.writeHead(200, { 'content-type': registry.contentType }).end(`${app}\n${own}`),
      (err: unknown) => {
        log.error({ err }, 'metrics collection failed');
        res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics collection failed\n');
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(where.port, where.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = where.host.includes(':') ? `[${where.host}]` : where.host;
  return {
    url: `http://${host}:${port}/metrics`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * What a scrape-time collector reads from an engine, or undefined when the engine has not answered
 * within `ms`: a slow database or broker makes the scrape leave that family out, never hang it.
 */
export async function withinDeadline<T>(ms: number, read: () => Promise<T>): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([read().catch(() => undefined), deadline]);
  } finally {
    clearTimeout(timer);
  }
}
