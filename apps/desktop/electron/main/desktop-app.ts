import { BRIDGE_CHANNELS } from '../shared/channels';
import { isAppUrl } from './app-url';
import { createBridgeHandlers } from './bridge-handlers';
import type { DesktopConfig } from './config';
import { buildContentSecurityPolicy, withContentSecurityPolicy } from './content-security-policy';
import type { DesktopWindow, ElectronPorts } from './electron-ports';
import { createReportExporter } from './export-report';
import { menuTemplate } from './menu-template';
import { decideNavigation, decideWindowOpen } from './navigation-policy';
import { offlinePageUrl, retryDelayMs } from './offline-page';
import { grantPermission } from './permission-policy';
import { createSessionStore } from './session-store';
import { type ThemeSource, toggledTheme } from './theme';
import { windowOptions } from './window-options';

export interface DesktopApp {
  /** Waits for Electron, locks the session down, opens the desk window and loads the desk. */
  start(): Promise<void>;
  stop(): void;
}

/**
 * Composition root of the Electron main process: the security policies on the session, the bridge's
 * handlers, the menu and the one desk window, built from the parsed config over Electron's ports.
 *
 * The window loads the renderer from the server (`${server}/app/`), not from files packaged with the
 * app: the desk then always matches the server's API (one build, served to browsers and the app
 * alike), its requests are same-origin (no CORS, the refresh cookie works), and the CSP can name one
 * origin. The cost — no desk while the server is down — is the same for a packaged copy, which could
 * show nothing without the server either; the app shows an offline page and retries instead.
 */
export function createDesktopApp(config: DesktopConfig, ports: ElectronPorts): DesktopApp {
  const policy = buildContentSecurityPolicy(config.serverOrigin);
  let window: DesktopWindow | undefined;
  let theme: ThemeSource = 'system';
  let retry: ReturnType<typeof setTimeout> | undefined;
  let failures = 0;
  let stopped = false;

  const exportReport = createReportExporter({
    printToPdf: () => requireWindow().printToPdf(),
    chooseSavePath: (name) => requireWindow().chooseSavePath(name),
    writeFile: (path, data) => ports.writeFile(path, data),
    now: () => new Date(),
  });

  const handlers = createBridgeHandlers(config.appUrl, {
    sessions: createSessionStore(ports.sessionCipher, ports.sessionFile),
    notify: (title, body) => ports.notify(title, body),
    exportPdf: exportReport,
  });

  function requireWindow(): DesktopWindow {
    if (window === undefined) throw new Error('the desk window is closed');
    return window;
  }

  function setTheme(source: ThemeSource): void {
    theme = source;
    ports.setTheme(source);
    installMenu();
  }

  function installMenu(): void {
    ports.setMenu(
      menuTemplate(
        { platform: ports.platform, theme, devTools: config.devTools },
        {
          exportReport: () => void exportReport().catch(() => {}),
          setTheme,
          toggleTheme: () => setTheme(toggledTheme(ports.showingDark())),
        },
      ),
    );
  }

  /** The server did not answer: say so, and load the desk again once it does. */
  function showOffline(reason: string): void {
    window?.load(offlinePageUrl(config.serverOrigin, reason));
    clearTimeout(retry);
    const wait = retryDelayMs(failures);
    failures += 1;
    retry = setTimeout(function tryAgain() {
      void ports
        .probe(config.appUrl)
        .catch(() => false)
        .then((up) => {
          if (stopped || window === undefined) return;
          if (up) window.load(config.appUrl);
          else retry = setTimeout(tryAgain, retryDelayMs(failures++));
        });
    }, wait);
  }

  return {
    async start() {
      await ports.whenReady();
      ports.onResponseHeaders((headers) => withContentSecurityPolicy(headers, policy));
      ports.onPermission(grantPermission);
      for (const channel of Object.values(BRIDGE_CHANNELS)) ports.handleIpc(channel, handlers[channel]);
      installMenu();

      window = ports.createWindow(windowOptions(ports.preloadPath, config.devTools), {
        willNavigate(url) {
          const decision = decideNavigation(url, config.appUrl);
          if (decision === 'open-external') ports.openExternal(url);
          return decision === 'allow';
        },
        // A server-side redirect is no click of the advisor's: it may stay within the desk, nothing more.
        willRedirect: (url) => decideNavigation(url, config.appUrl) === 'allow',
        windowOpen(url) {
          if (decideWindowOpen(url) === 'open-external') ports.openExternal(url);
        },
        failedLoad(url, reason) {
          if (isAppUrl(url, config.appUrl)) showOffline(reason);
        },
        loaded(url) {
          if (isAppUrl(url, config.appUrl)) failures = 0;
        },
        closed() {
          window = undefined;
        },
      });
      window.load(config.appUrl);
    },
    stop() {
      stopped = true;
      clearTimeout(retry);
      for (const channel of Object.values(BRIDGE_CHANNELS)) ports.removeIpc(channel);
      window?.close();
      window = undefined;
    },
  };
}
