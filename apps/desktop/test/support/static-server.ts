import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StaticPage {
  readonly body: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface StaticServer {
  readonly url: string;
  close(): Promise<void>;
}

/** A loopback HTTP server of fixed pages (path → page), for testing the browser harness itself. */
export async function serveStatic(pages: Readonly<Record<string, StaticPage>>): Promise<StaticServer> {
  const server = createServer((request, response) => {
    const page = pages[new URL(request.url ?? '/', 'http://x').pathname];
    if (page === undefined) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', ...page.headers }).end(page.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
