import type { DesktopBridge } from '../../src/shared/bridge';
import { BRIDGE_CHANNELS, type BridgeChannel } from '../shared/channels';

export type Invoke = (channel: BridgeChannel, ...args: unknown[]) => Promise<unknown>;

/**
 * The `window.tickfolio` object: each method is one IPC call, with exactly the arguments the main side
 * accepts. The page never gets ipcRenderer itself — only these four functions cross the context bridge
 * — so it can reach no channel but these. Results are checked here too, since the page trusts them.
 */
export function createDesktopBridge(invoke: Invoke): DesktopBridge {
  return {
    session: {
      async load() {
        const token = await invoke(BRIDGE_CHANNELS.sessionLoad);
        return typeof token === 'string' ? token : null;
      },
      async save(token) {
        await invoke(BRIDGE_CHANNELS.sessionSave, token);
      },
    },
    async notify(title, body) {
      await invoke(BRIDGE_CHANNELS.notify, title, body);
    },
    async exportPdf() {
      await invoke(BRIDGE_CHANNELS.exportPdf);
    },
  };
}
