import websocket, { type WebsocketPluginOptions } from '@fastify/websocket';
import { getWSConnectionHandler } from '@trpc/server/adapters/ws';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppRouter } from '../routers';
import type { RequestContext } from '../trpc/context';
import { guardSlowSocket } from './slow-socket-guard';
import { TRPC_PREFIX } from './trpc-calls';

/** What a WebSocket client sends first (tRPC's connectionParams): its access token. */
const connectionParamsSchema = z.object({ token: z.string().max(4096).optional() }).nullable();

export interface TrpcWebSocketOptions {
  readonly router: AppRouter;
  /**
   * The context of a connection's calls; `authorization` is what a bearer header would carry. Each call
   * is signed in with it as it starts (RequestContext.signIn).
   */
  createContext(req: FastifyRequest, authorization: string | undefined): Promise<RequestContext>;
  /** A connection silent this long is pinged (the client answers); one that does not answer is closed. */
  readonly pingMs: number;
  /** Largest message a client may send. */
  readonly maxPayloadBytes: number;
  /** Most bytes a socket may have waiting unsent before it is dropped (guardSlowSocket). */
  readonly bufferLimitBytes: number;
  /** Most calls one message may carry; a larger batch gets BAD_REQUEST for each call, none runs. */
  readonly maxBatchSize: number;
}

/**
 * How long a socket the server closes (on shutdown, say) may take to answer the close handshake
 * before it is cut off. ws waits 30 s by default, longer than the process's whole stop deadline
 * (packages/process, 20 s), so one client that never answered made every shutdown fail.
 */
const CLOSE_HANDSHAKE_MS = 2000;

/**
 * tRPC over WebSocket at GET /trpc, beside the HTTP routes: the transport for live subscriptions of
 * clients that hold many streams or take many events (an event is one JSON message on the socket,
 * where SSE passes it through two web-stream pipes). The client sends its token as connectionParams
 * (`?connectionParams=1`, as tRPC's wsLink does), and every call on the socket is signed in with it as
 * it starts, as an HTTP request is: a missing, bad, expired or revoked token makes protected calls
 * answer UNAUTHORIZED. The upgrade request passes the same
 * onRequest hooks (request id, IP rate limit) as any other; each call on the socket then takes its
 * points from the IP limit as it starts (RequestContext.chargeCall), and an upgrade answered over HTTP
 * has its socket closed (closeRefusedUpgrades).
 */
export async function registerTrpcWebSocket(app: FastifyInstance, options: TrpcWebSocketOptions) {
  // ws 8.23 takes closeTimeout (for each socket it accepts); @types/ws does not list it yet.
  const serverOptions: WebsocketPluginOptions['options'] & { closeTimeout: number } = {
    maxPayload: options.maxPayloadBytes,
    closeTimeout: CLOSE_HANDSHAKE_MS,
  };
  await app.register(websocket, { options: serverOptions });
  /** Each connection's upgrade request as Fastify saw it (its id, IP and logger), by the raw request tRPC is given. */
  const requests = new WeakMap<object, FastifyRequest>();
  const onConnection = getWSConnectionHandler<AppRouter>({
    wss: app.websocketServer,
    router: options.router,
    createContext: ({ req, info }) => {
      const params = connectionParamsSchema.safeParse(info.connectionParams);
      const token = params.success ? params.data?.token : undefined;
      return options.createContext(requests.get(req)!, token === undefined ? undefined : `Bearer ${token}`);
    },
    keepAlive: { enabled: true, pingMs: options.pingMs, pongWaitMs: Math.max(1000, options.pingMs / 3) },
    maxBatchSize: options.maxBatchSize,
  });
  app.get(TRPC_PREFIX, { websocket: true }, (socket, req) => {
    requests.set(req.raw, req);
    guardSlowSocket(socket, options.bufferLimitBytes);
    onConnection(socket, req.raw);
  });
}
