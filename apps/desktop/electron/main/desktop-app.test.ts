import type { BrowserWindowConstructorOptions, MenuItemConstructorOptions } from 'electron';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BRIDGE_CHANNELS, type BridgeChannel } from '../shared/channels';
import type { BridgeHandler } from './bridge-handlers';
import { parseDesktopConfig } from './config';
import { createDesktopApp } from './desktop-app';
import type { ElectronPorts, WindowEvents } from './electron-ports';
import type { ThemeSource } from './theme';

const config = parseDesktopConfig({ env: {}, settingsText: undefined, argv: [] });
const desk = { frameUrl: config.appUrl, isTopFrame: true };

/** Electron as a recording fake: what the app asked of it, and the window's events to fire. */
function fakeElectron(opts: { serverUp?: () => boolean } = {}) {
  const loads: string[] = [];
  const external: string[] = [];
  const notifications: string[] = [];
  const files = new Map<string, string>();
  const ipc = new Map<BridgeChannel, BridgeHandler>();
  const themes: ThemeSource[] = [];
  let menu: MenuItemConstructorOptions[] = [];
  let options: BrowserWindowConstructorOptions | undefined;
  let events: WindowEvents | undefined;
  let headerTransform: ((h: Record<string, string[]> | undefined) => Record<string, string[]>) | undefined;
  let permission: ((p: string) => boolean) | undefined;
  let sealed: Uint8Array | undefined;
  let closed = false;

  const ports: ElectronPorts = {
    platform: 'linux',
    preloadPath: '/opt/tickfolio/preload.cjs',
    whenReady: async () => {},
    onResponseHeaders: (t) => {
      headerTransform = t;
    },
    onPermission: (d) => {
      permission = d;
    },
    createWindow: (o, e) => {
      options = o;
      events = e;
      return {
        load: (url) => loads.push(url),
        printToPdf: async () => new TextEncoder().encode('%PDF'),
        chooseSavePath: async (name) => `/tmp/${name}`,
        close: () => {
          closed = true;
        },
      };
    },
    handleIpc: (channel, handler) => ipc.set(channel, handler),
    removeIpc: (channel) => ipc.delete(channel),
    setMenu: (m) => {
      menu = m;
    },
    openExternal: (url) => external.push(url),
    setTheme: (s) => themes.push(s),
    showingDark: () => true,
    notify: (title, body) => notifications.push(`${title}: ${body}`),
    writeFile: async (path, data) => {
      files.set(path, new TextDecoder().decode(data));
    },
    sessionCipher: {
      isSecure: () => true,
      encrypt: (s) => new TextEncoder().encode(`enc(${s})`),
      decrypt: (b) => new TextDecoder().decode(b).slice(4, -1),
    },
    sessionFile: {
      read: async () => sealed,
      write: async (d) => {
        sealed = d;
      },
      remove: async () => {
        sealed = undefined;
      },
    },
    probe: async () => opts.serverUp?.() ?? true,
  };
  return {
    ports,
    loads,
    external,
    notifications,
    files,
    ipc,
    themes,
    menu: () => menu,
    options: () => options,
    events: () => events!,
    headers: (h?: Record<string, string[]>) => headerTransform!(h),
    permission: (p: string) => permission!(p),
    sealed: () => (sealed === undefined ? undefined : new TextDecoder().decode(sealed)),
    closed: () => closed,
  };
}

function menuItem(menu: MenuItemConstructorOptions[], label: string): MenuItemConstructorOptions | undefined {
  for (const item of menu) {
    if (item.label === label) return item;
    if (Array.isArray(item.submenu)) {
      const found = menuItem(item.submenu, label);
      if (found) return found;
    }
  }
  return undefined;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('createDesktopApp', () => {
  it('opens one locked-down window on the desk served by the server', async () => {
    const electron = fakeElectron();
    await createDesktopApp(config, electron.ports).start();
    expect(electron.loads).toEqual(['http://127.0.0.1:4000/app/']);
    expect(electron.options()?.webPreferences).toMatchObject({
      preload: '/opt/tickfolio/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
    });
  });

  it('puts the server-bound CSP on responses and refuses every permission', async () => {
    const electron = fakeElectron();
    await createDesktopApp(config, electron.ports).start();
    const csp = electron.headers({ 'content-type': ['text/html'] })['Content-Security-Policy']?.[0];
    expect(csp).toContain('connect-src http://127.0.0.1:4000 ws://127.0.0.1:4000');
    expect(electron.permission('notifications')).toBe(false);
    expect(electron.permission('media')).toBe(false);
  });

  it('keeps the window on the desk and sends web links to the system browser', async () => {
    const electron = fakeElectron();
    await createDesktopApp(config, electron.ports).start();
    const events = electron.events();
    expect(events.willNavigate('http://127.0.0.1:4000/app/clients/3')).toBe(true);
    expect(events.willNavigate('https://example.com/news')).toBe(false);
    expect(events.willNavigate('file:///etc/passwd')).toBe(false);
    expect(events.willRedirect('http://127.0.0.1:4000/app/')).toBe(true);
    expect(events.willRedirect('https://sso.example/login')).toBe(false);
    events.windowOpen('https://example.com/popup');
    events.windowOpen('javascript:alert(1)');
    expect(electron.external).toEqual(['https://example.com/news', 'https://example.com/popup']);
  });

  it('serves the bridge to the desk: the session is sealed, notifications shown, the report saved', async () => {
    const electron = fakeElectron();
    await createDesktopApp(config, electron.ports).start();
    expect([...electron.ipc.keys()].sort()).toEqual(Object.values(BRIDGE_CHANNELS).sort());
    await electron.ipc.get(BRIDGE_CHANNELS.sessionSave)!(desk, ['refresh.token']);
    expect(electron.sealed()).toBe('enc(refresh.token)');
    expect(await electron.ipc.get(BRIDGE_CHANNELS.sessionLoad)!(desk, [])).toBe('refresh.token');
    await electron.ipc.get(BRIDGE_CHANNELS.notify)!(desk, ['Alert', 'AAPL +5%']);
    expect(electron.notifications).toEqual(['Alert: AAPL +5%']);
    await electron.ipc.get(BRIDGE_CHANNELS.exportPdf)!(desk, []);
    expect([...electron.files.values()]).toEqual(['%PDF']);
    await expect(
      electron.ipc.get(BRIDGE_CHANNELS.sessionLoad)!(
        { frameUrl: 'https://evil.example/', isTopFrame: true },
        [],
      ),
    ).rejects.toThrow(/not sent by the desk/);
  });

  it('switches the theme from the menu and checks the new choice', async () => {
    const electron = fakeElectron();
    await createDesktopApp(config, electron.ports).start();
    expect(menuItem(electron.menu(), 'Follow System')?.checked).toBe(true);
    (menuItem(electron.menu(), 'Toggle Dark/Light')!.click as () => void)();
    expect(electron.themes).toEqual(['light']);
    expect(menuItem(electron.menu(), 'Light')?.checked).toBe(true);
  });

  it('shows the offline page while the server is down and loads the desk once it answers', async () => {
    vi.useFakeTimers();
    let up = false;
    const electron = fakeElectron({ serverUp: () => up });
    await createDesktopApp(config, electron.ports).start();
    electron.events().failedLoad(config.appUrl, 'ERR_CONNECTION_REFUSED');
    expect(electron.loads.at(-1)).toMatch(/^data:text\/html/);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(electron.loads.filter((u) => u === config.appUrl)).toHaveLength(1);
    up = true;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(electron.loads.at(-1)).toBe(config.appUrl);
  });

  it('stops: the bridge is gone, the window closed, no retry left', async () => {
    vi.useFakeTimers();
    const electron = fakeElectron({ serverUp: () => true });
    const app = createDesktopApp(config, electron.ports);
    await app.start();
    electron.events().failedLoad(config.appUrl, 'ERR_CONNECTION_REFUSED');
    app.stop();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(electron.ipc.size).toBe(0);
    expect(electron.closed()).toBe(true);
    expect(electron.loads.filter((u) => u === config.appUrl)).toHaveLength(1);
  });
});
