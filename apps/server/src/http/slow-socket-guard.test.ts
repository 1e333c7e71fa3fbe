import { describe, expect, it } from 'vitest';
import { type GuardedSocket, guardSlowSocket } from './slow-socket-guard';

function fakeSocket() {
  const socket = {
    bufferedAmount: 0,
    sent: [] as unknown[],
    terminated: 0,
    send(data: unknown) {
      socket.sent.push(data);
    },
    terminate() {
      socket.terminated++;
    },
  };
  return socket satisfies GuardedSocket;
}

describe('guardSlowSocket', () => {
  it('sends while at most the limit waits unsent, and drops the connection (sending nothing) beyond it', () => {
    const socket = fakeSocket();
    guardSlowSocket(socket, 100);
    socket.send('a');
    socket.bufferedAmount = 100;
    socket.send('b');
    expect(socket.sent).toEqual(['a', 'b']);
    expect(socket.terminated).toBe(0);

    socket.bufferedAmount = 101;
    socket.send('c');
    expect(socket.sent).toEqual(['a', 'b']);
    expect(socket.terminated).toBe(1);
  });
});
