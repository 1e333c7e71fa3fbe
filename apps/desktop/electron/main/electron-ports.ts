import type { BrowserWindowConstructorOptions, MenuItemConstructorOptions } from 'electron';
import type { BridgeChannel } from '../shared/channels';
import type { BridgeHandler } from './bridge-handlers';
import type { SecretCipher, SecretFile } from './session-store';
import type { ThemeSource } from './theme';

/** What the composition root hears from the window; the adapter turns Electron's events into these. */
export interface WindowEvents {
  /** The page asks to go to `url` (a link, `location = …`); return whether to let it. */
  willNavigate(url: string): boolean;
  /** A response of the top frame redirects to `url`; return whether to follow it. */
  willRedirect(url: string): boolean;
  /** The page asks for a new window; it is always refused, this only hears the URL. */
  windowOpen(url: string): void;
  /** The top frame failed to load `url` (not a navigation the page cancelled itself). */
  failedLoad(url: string, reason: string): void;
  /** The top frame finished loading `url`. */
  loaded(url: string): void;
  closed(): void;
}

export interface DesktopWindow {
  /** Starts loading; failures arrive as WindowEvents.failedLoad, never as a rejection. */
  load(url: string): void;
  printToPdf(): Promise<Uint8Array>;
  chooseSavePath(defaultName: string): Promise<string | undefined>;
  close(): void;
}

/**
 * Everything the desktop app needs from Electron, narrowed to what it uses, so the composition root is
 * tested with fakes and one adapter (electron-adapter.ts) is all that touches Electron's API.
 */
export interface ElectronPorts {
  readonly platform: NodeJS.Platform;
  /** Absolute path of the bundled preload script. */
  readonly preloadPath: string;
  whenReady(): Promise<void>;
  /** Rewrites the headers of every response the desk's session receives. */
  onResponseHeaders(
    transform: (headers: Record<string, string[]> | undefined) => Record<string, string[]>,
  ): void;
  /** Decides every permission request and check of the desk's session. */
  onPermission(decide: (permission: string) => boolean): void;
  createWindow(options: BrowserWindowConstructorOptions, events: WindowEvents): DesktopWindow;
  handleIpc(channel: BridgeChannel, handler: BridgeHandler): void;
  removeIpc(channel: BridgeChannel): void;
  setMenu(template: MenuItemConstructorOptions[]): void;
  openExternal(url: string): void;
  setTheme(source: ThemeSource): void;
  showingDark(): boolean;
  notify(title: string, body: string): void;
  writeFile(path: string, data: Uint8Array): Promise<void>;
  readonly sessionCipher: SecretCipher;
  readonly sessionFile: SecretFile;
  /** Whether the server answers at all (any HTTP status), to know when to try loading the desk again. */
  probe(url: string): Promise<boolean>;
}
