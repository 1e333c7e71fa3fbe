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

describe('the notification bridge (notify)', () => {
  const notify = BRIDGE_CHANNELS.notify;

  it('shows a notification at the limits: a 120-character title (trimmed), a 1,000-character or empty body', async () => {
    const { handlers, calls } = setup();
    await handlers[notify](desk, [`  ${'t'.repeat(120)}  `, 'b'.repeat(1000)]);
    await handlers[notify](desk, ['Ann Archer', '']);
    expect(calls).toEqual([`notify:${'t'.repeat(120)}|${'b'.repeat(1000)}`, 'notify:Ann Archer|']);
  });

  it.each([
    ['a body over 1,000 characters', ['title', 'b'.repeat(1001)]],
    ['a third argument', ['title', 'body', 'extra']],
    ['no arguments', []],
    ['a title that is not text', [42, 'body']],
    ['a body that is not text', ['title', null]],
  ])('refuses %s, showing nothing', async (_, args) => {
    const { handlers, calls } = setup();
    await expect(handlers[notify](desk, args)).rejects.toThrow(/notify: refused, invalid arguments/);
    expect(calls).toEqual([]);
  });

  it.each([
    ['a frame that is gone', { frameUrl: undefined, isTopFrame: true }],
    ['another page of the same server', { frameUrl: 'http://127.0.0.1:4000/trpc/auth.me', isTopFrame: true }],
    ['an embedded frame showing the desk', { ...desk, isTopFrame: false }],
  ])('refuses a call from %s before reading its arguments', async (_, sender) => {
    const { handlers, calls } = setup();
    await expect(handlers[notify](sender, ['Alert', 'AAPL +5%'])).rejects.toThrow(
      /notify: refused, not sent by the desk/,
    );
    await expect(handlers[notify](sender, [])).rejects.toThrow(/not sent by the desk/);
    expect(calls).toEqual([]);
  });
});
