/** What the guard needs of a `ws` WebSocket. */
export interface GuardedSocket {
  readonly bufferedAmount: number;
  send(data: unknown, ...rest: unknown[]): void;
  terminate(): void;
}

/**
 * Ends a WebSocket whose client has stopped reading. tRPC sends each event with `socket.send` and no
 * backpressure (unlike SSE, where a full stream pauses the subscription and its coalescing queue takes
 * the strain), so a stalled client would let the server buffer its events without bound. Once more than
 * `limitBytes` wait unsent, the connection is dropped instead; the client reconnects and resumes from
 * its last event id (the current totals, not the backlog).
 */
export function guardSlowSocket(socket: GuardedSocket, limitBytes: number): void {
  const send = socket.send.bind(socket);
  socket.send = (data: unknown, ...rest: unknown[]) => {
    if (socket.bufferedAmount > limitBytes) {
      socket.terminate();
      return;
    }
    send(data, ...rest);
  };
}
