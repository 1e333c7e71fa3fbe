import { describe, expect, it } from 'vitest';
import { BRIDGE_CHANNELS } from '../shared/channels';
import { BridgeRefusal, createBridgeHandlers } from './bridge-handlers';

const APP = 'http://127.0.0.1:4000/app/';
const desk = { frameUrl: 'http://127.0.0.1:4000/app/clients/2', isTopFrame: true };
const stranger = { frameUrl: 'https://evil.example/', isTopFrame: true };

function setup() {
  const calls: string[] = [];
  let stored: string | null = 'stored-token';
  const handlers = createBridgeHandlers(APP, {
    sessions: {
      load: async () => stored,
      save: async (token) => {
        calls.push(`save:${token}`);
        stored = token;
      },
    },
    notify: (title, body) => calls.push(`notify:${title}|${body}`),
    exportPdf: async () => {
      calls.push('exportPdf');
    },
  });
  return { handlers, calls };
}

describe('createBridgeHandlers', () => {
  it('serves the desk: loads and saves the session, notifies, exports', async () => {
    const { handlers, calls } = setup();
    expect(await handlers[BRIDGE_CHANNELS.sessionLoad](desk, [])).toBe('stored-token');
    await handlers[BRIDGE_CHANNELS.sessionSave](desk, ['eyJhbGciOi.abc.def']);
    await handlers[BRIDGE_CHANNELS.sessionSave](desk, [null]);
    await handlers[BRIDGE_CHANNELS.notify](desk, ['Price alert', 'AAPL moved 5%']);
    await handlers[BRIDGE_CHANNELS.exportPdf](desk, []);
    expect(calls).toEqual([
      'save:eyJhbGciOi.abc.def',
      'save:null',
      'notify:Price alert|AAPL moved 5%',
      'exportPdf',
    ]);
  });

  it('refuses every channel to a sender that is not the desk, doing nothing', async () => {
    const { handlers, calls } = setup();
    for (const [channel, args] of [
      [BRIDGE_CHANNELS.sessionLoad, []],
      [BRIDGE_CHANNELS.sessionSave, ['t']],
      [BRIDGE_CHANNELS.notify, ['a', 'b']],
      [BRIDGE_CHANNELS.exportPdf, []],
    ] as const) {
      await expect(handlers[channel](stranger, args)).rejects.toThrow(BridgeRefusal);
      await expect(handlers[channel]({ ...desk, isTopFrame: false }, args)).rejects.toThrow(
        /not sent by the desk/,
      );
    }
    expect(calls).toEqual([]);
  });

  it.each([
    [BRIDGE_CHANNELS.sessionLoad, ['extra']],
    [BRIDGE_CHANNELS.sessionSave, []],
    [BRIDGE_CHANNELS.sessionSave, [42]],
    [BRIDGE_CHANNELS.sessionSave, ['']],
    [BRIDGE_CHANNELS.sessionSave, ['two words']],
    [BRIDGE_CHANNELS.sessionSave, ['line\nbreak']],
    [BRIDGE_CHANNELS.sessionSave, ['x'.repeat(4097)]],
    [BRIDGE_CHANNELS.notify, ['title']],
    [BRIDGE_CHANNELS.notify, ['   ', 'body']],
    [BRIDGE_CHANNELS.notify, ['t'.repeat(121), 'body']],
    [BRIDGE_CHANNELS.notify, ['title', { toString: 'x' }]],
    [BRIDGE_CHANNELS.exportPdf, [{ path: '/etc/passwd' }]],
  ])('refuses %s with arguments %j', async (channel, args) => {
    const { handlers, calls } = setup();
    await expect(handlers[channel](desk, args)).rejects.toThrow(/invalid arguments/);
    expect(calls).toEqual([]);
  });
});
