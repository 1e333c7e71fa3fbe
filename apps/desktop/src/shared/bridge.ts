/**
 * What Electron's preload exposes to the renderer as `window.tickfolio`. In a browser it is absent,
 * and the renderer falls back to web storage, the Notification API and window.print().
 */
export interface DesktopBridge {
  session: {
    /** The stored refresh-token record (encrypted at rest by the main process), or null. */
    load(): Promise<string | null>;
    /** Stores the record, or forgets it when given null. */
    save(token: string | null): Promise<void>;
  };
  notify(title: string, body: string): Promise<void>;
  /** Prints the current window to a PDF the user chooses where to save. */
  exportPdf(): Promise<void>;
}

declare global {
  interface Window {
    tickfolio?: DesktopBridge;
  }
}
