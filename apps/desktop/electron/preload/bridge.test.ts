import { describe, expect, it } from 'vitest';
import { BRIDGE_CHANNELS } from '../shared/channels';
import { createDesktopBridge } from './bridge';

function recording(result: unknown = undefined) {
  const calls: unknown[][] = [];
  const bridge = createDesktopBridge(async (channel, ...args) => {
    calls.push([channel, ...args]);
    return result;
  });
  return { bridge, calls };
}

describe('createDesktopBridge', () => {
  it('sends each method down its own channel with its arguments', async () => {
    const { bridge, calls } = recording();
    await bridge.session.load();
    await bridge.session.save('tok');
    await bridge.session.save(null);
    await bridge.notify('Title', 'Body');
    await bridge.exportPdf();
    expect(calls).toEqual([
      [BRIDGE_CHANNELS.sessionLoad],
      [BRIDGE_CHANNELS.sessionSave, 'tok'],
      [BRIDGE_CHANNELS.sessionSave, null],
      [BRIDGE_CHANNELS.notify, 'Title', 'Body'],
      [BRIDGE_CHANNELS.exportPdf],
    ]);
  });

  it('returns the stored token, and null for anything that is not one', async () => {
    expect(await recording('tok').bridge.session.load()).toBe('tok');
    expect(await recording(null).bridge.session.load()).toBeNull();
    expect(await recording({ token: 'x' }).bridge.session.load()).toBeNull();
  });

  it('resolves the void methods with nothing, whatever the main side answered', async () => {
    const { bridge } = recording('unexpected');
    await expect(bridge.exportPdf()).resolves.toBeUndefined();
    await expect(bridge.notify('a', 'b')).resolves.toBeUndefined();
  });

  it('passes a refusal of the main side on to the page', async () => {
    const bridge = createDesktopBridge(async () => {
      throw new Error('refused');
    });
    await expect(bridge.session.save('t')).rejects.toThrow('refused');
  });
});
