/**
 * The IPC channels of the preload bridge, shared by the preload (which invokes them) and the main
 * process (which handles them), so the two cannot drift apart. Each maps to one DesktopBridge method.
 */
export const BRIDGE_CHANNELS = {
  sessionLoad: 'tickfolio:session-load',
  sessionSave: 'tickfolio:session-save',
  notify: 'tickfolio:notify',
  exportPdf: 'tickfolio:export-pdf',
} as const;

export type BridgeChannel = (typeof BRIDGE_CHANNELS)[keyof typeof BRIDGE_CHANNELS];
