import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A provider answer the test server gives. */
export interface ScriptedResponse {
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Buffer;
  /** Never answer (until the client gives up): a timeout. */
  readonly hang?: boolean;
  /** Announce the whole body's length, send only this many bytes, then cut the connection. */
  readonly cutAfterBytes?: number;
}

export interface ProviderRequest {
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingMessage['headers'];
  /** 1 for the first request to this path, 2 for the second… */
  readonly nth: number;
}

export interface ProviderServer {
  readonly url: string;
  readonly requests: ProviderRequest[];
  close(): Promise<void>;
}

/** A local HTTP server standing in for a provider: `route` decides each answer. */
export async function startProviderServer(
  route: (request: ProviderRequest) => ScriptedResponse,
): Promise<ProviderServer> {
  const requests: ProviderRequest[] = [];
  const counts = new Map<string, number>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const nth = (counts.get(url.pathname) ?? 0) + 1;
    counts.set(url.pathname, nth);
    const request = { path: url.pathname, query: url.searchParams, headers: req.headers, nth };
    requests.push(request);
    const answer = route(request);
    if (answer.hang) return;
    const body = Buffer.from(answer.body ?? '');
    res.writeHead(answer.status ?? 200, { 'content-length': String(body.length), ...answer.headers });
    if (answer.cutAfterBytes !== undefined) {
      res.write(body.subarray(0, answer.cutAfterBytes), () => res.destroy());
      return;
    }
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}

/** A recorded provider answer (fixtures/providers, see its README), as text. */
export function fixture(name: string): string {
  return readFileSync(new URL(`../fixtures/providers/${name}`, import.meta.url), 'utf8');
}

/** An answer with a JSON body. */
export const json = (value: unknown): ScriptedResponse => ({
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(value),
});
