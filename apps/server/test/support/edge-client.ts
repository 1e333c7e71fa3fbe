import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { WebSocket } from 'ws';

/**
 * Clients for tests of the HTTP edge that need what fetch cannot do: a connection of its own per
 * request (closed after the answer, so none lingers in a pool), a source address of the test's
 * choosing (any 127.x.y.z reaches a server on 127.0.0.1 and counts as another client IP for the rate
 * limits), methods fetch refuses to send, and raw tRPC WebSocket messages.
 */

/** Where a request comes from: a loopback address other than 127.0.0.1 is another client IP. */
export interface From {
  readonly from?: string;
}

export interface EdgeAnswer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
}

/** One HTTP/1.1 request on a connection of its own, closed once the answer is read. */
export function send(
  baseUrl: string,
  path: string,
  options: From & { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<EdgeAnswer> {
  const url = new URL(path, baseUrl);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        path: `${url.pathname}${url.search}`,
        method: options.method ?? 'GET',
        headers: options.headers,
        localAddress: options.from,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode!,
            headers: res.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** POSTs JSON to a tRPC path (`auth.login`, `a,b?batch=1`); the parsed answer alongside. */
export async function postTrpc(
  baseUrl: string,
  path: string,
  body: unknown,
  options: From & { token?: string } = {},
): Promise<EdgeAnswer & { json: unknown }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const answer = await send(baseUrl, `/trpc/${path}`, {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    from: options.from,
  });
  let json: unknown = null;
  try {
    json = JSON.parse(answer.text);
  } catch {
    // Not JSON: the caller looks at the text.
  }
  return { ...answer, json };
}

/**
 * A request written by hand, for methods HTTP clients will not send as such (CONNECT, TRACK): returns
 * the status of the answer's first line (null when the server hung up without one) and all it sent.
 */
export function sendRaw(baseUrl: string, head: string): Promise<{ status: number | null; raw: string }> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname, () => socket.write(head));
    let raw = '';
    socket.on('data', (chunk: Buffer) => {
      raw += chunk.toString('utf8');
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNRESET') return; // the close below reports what arrived
      reject(error);
    });
    socket.on('close', () => {
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(raw);
      resolve({ status: m ? Number(m[1]) : null, raw });
    });
  });
}

/**
 * Asks to upgrade to a WebSocket and hangs up at once, as a client does when refused: resolves with the
 * answer's status (101 when it was accepted) and its Connection header.
 */
export function tryUpgrade(
  baseUrl: string,
  path = '/trpc',
  options: From = {},
): Promise<{ status: number; connection: string | undefined }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}${path}`, { localAddress: options.from });
    socket.on('unexpected-response', (req, res) => {
      resolve({ status: res.statusCode!, connection: res.headers.connection });
      req.destroy();
    });
    socket.on('open', () => {
      resolve({ status: 101, connection: undefined });
      socket.terminate();
    });
    socket.on('error', (error) => {
      // A refusal destroys the request on purpose; only a failure before any answer is one.
      if (!/socket hang up|aborted/.test(error.message)) reject(error);
    });
  });
}

/** A tRPC answer on a socket: its result, or its error's code. */
export interface SocketAnswer {
  readonly id: number;
  readonly code: string | null;
  readonly result: unknown;
}

/** A tRPC WebSocket spoken message by message, so a test decides what each message carries. */
export interface TrpcSocket {
  /** Sends one message: a call, or an array of calls (a batch); resolves with the answers to all. */
  send(
    calls: { method: 'query' | 'mutation'; path: string; input?: unknown }[],
    batch?: boolean,
  ): Promise<SocketAnswer[]>;
  close(): void;
}

/** Opens /trpc as tRPC's wsLink does; with a token, sent as connectionParams, its calls are signed in. */
export async function openTrpcSocket(
  baseUrl: string,
  options: From & { token?: string } = {},
): Promise<TrpcSocket> {
  const query = options.token ? '?connectionParams=1' : '';
  const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/trpc${query}`, {
    localAddress: options.from,
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  if (options.token) {
    socket.send(JSON.stringify({ method: 'connectionParams', data: { token: options.token } }));
  }
  const waiting = new Map<number, (answer: SocketAnswer) => void>();
  socket.on('message', (data: Buffer) => {
    const text = data.toString('utf8');
    if (text === 'PING') return socket.send('PONG');
    const message = JSON.parse(text) as {
      id: number;
      result?: { type?: string; data?: unknown };
      error?: { data?: { code?: string } };
    };
    waiting.get(message.id)?.({
      id: message.id,
      code: message.error ? (message.error.data?.code ?? 'UNKNOWN') : null,
      result: message.result?.data,
    });
    waiting.delete(message.id);
  });
  let nextId = 1;
  return {
    send(calls, batch = false) {
      const messages = calls.map((call) => ({
        id: nextId++,
        method: call.method,
        params: { path: call.path, input: call.input },
      }));
      const answers = messages.map((m) => new Promise<SocketAnswer>((resolve) => waiting.set(m.id, resolve)));
      if (batch) socket.send(JSON.stringify(messages));
      else for (const m of messages) socket.send(JSON.stringify(m));
      return Promise.all(answers);
    },
    close: () => socket.close(),
  };
}
