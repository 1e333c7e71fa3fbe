import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  Notification,
  nativeTheme,
  net,
  safeStorage,
  session,
  shell,
} from 'electron';
import type { ElectronPorts } from './electron-ports';
import { createSecretFile } from './secret-file';

/** Chromium's code for a load the page itself superseded (a new navigation): not a failure. */
const ERR_ABORTED = -3;

/**
 * Electron behind the app's ports: the only module that calls Electron's main-process API. Each port
 * is a direct translation; every decision lives in the pure modules the composition root wires in.
 */
export function createElectronPorts(preloadPath: string): ElectronPorts {
  const desk = session.defaultSession;
  return {
    platform: process.platform,
    preloadPath,
    whenReady: () => app.whenReady(),
    onResponseHeaders(transform) {
      desk.webRequest.onHeadersReceived((details, callback) => {
        callback({ responseHeaders: transform(details.responseHeaders) });
      });
    },
    onPermission(decide) {
      desk.setPermissionRequestHandler((_contents, permission, callback) => callback(decide(permission)));
      desk.setPermissionCheckHandler((_contents, permission) => decide(permission));
    },
    createWindow(options, events) {
      const window = new BrowserWindow(options);
      const contents = window.webContents;
      contents.on('will-navigate', (event) => {
        if (!events.willNavigate(event.url)) event.preventDefault();
      });
      contents.on('will-redirect', (event) => {
        if (event.isMainFrame && !events.willRedirect(event.url)) event.preventDefault();
      });
      contents.setWindowOpenHandler(({ url }) => {
        events.windowOpen(url);
        return { action: 'deny' };
      });
      contents.on('will-attach-webview', (event) => event.preventDefault());
      contents.on('did-fail-load', (_event, code, description, url, isMainFrame) => {
        if (isMainFrame && code !== ERR_ABORTED) events.failedLoad(url, description);
      });
      contents.on('did-finish-load', () => events.loaded(contents.getURL()));
      window.once('ready-to-show', () => window.show());
      window.on('closed', () => events.closed());
      return {
        load(url) {
          // A failed load also emits did-fail-load, which is where it is handled.
          contents.loadURL(url).catch(() => {});
        },
        async printToPdf() {
          return contents.printToPDF({ printBackground: true, preferCSSPageSize: true });
        },
        async chooseSavePath(defaultName) {
          const choice = await dialog.showSaveDialog(window, {
            title: 'Export client report',
            defaultPath: join(app.getPath('documents'), defaultName),
            filters: [{ name: 'PDF', extensions: ['pdf'] }],
          });
          return choice.canceled || !choice.filePath ? undefined : choice.filePath;
        },
        close() {
          if (!window.isDestroyed()) window.close();
        },
      };
    },
    handleIpc(channel, handler) {
      ipcMain.handle(channel, (event, ...args) => {
        const frame = event.senderFrame;
        return handler({ frameUrl: frame?.url, isTopFrame: frame !== null && frame.parent === null }, args);
      });
    },
    removeIpc(channel) {
      ipcMain.removeHandler(channel);
    },
    setMenu(template) {
      Menu.setApplicationMenu(Menu.buildFromTemplate(template));
    },
    openExternal(url) {
      void shell.openExternal(url);
    },
    setTheme(source) {
      nativeTheme.themeSource = source;
    },
    showingDark: () => nativeTheme.shouldUseDarkColors,
    notify(title, body) {
      if (Notification.isSupported()) new Notification({ title, body }).show();
    },
    writeFile: (path, data) => writeFile(path, data),
    sessionCipher: {
      isSecure: () =>
        safeStorage.isEncryptionAvailable() &&
        !(process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text'),
      encrypt: (plain) => safeStorage.encryptString(plain),
      decrypt: (sealed) => safeStorage.decryptString(Buffer.from(sealed)),
    },
    sessionFile: createSecretFile(join(app.getPath('userData'), 'session.bin')),
    async probe(url) {
      try {
        await net.fetch(url, { method: 'HEAD', cache: 'no-store' });
        return true;
      } catch {
        return false;
      }
    },
  };
}
