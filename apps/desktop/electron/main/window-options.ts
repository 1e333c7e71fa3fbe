import type { BrowserWindowConstructorOptions } from 'electron';

/**
 * The desk window's options, with Electron's security checklist applied: the page runs sandboxed, in
 * its own JavaScript world apart from the preload (contextIsolation), without Node.js, with the
 * same-origin policy on, and without the legacy <webview> tag or insecure-content exceptions. The only
 * thing it gets from outside the web platform is the preload's small `window.tickfolio` bridge.
 */
export function windowOptions(preloadPath: string, devTools: boolean): BrowserWindowConstructorOptions {
  return {
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    title: 'Tickfolio Desk',
    // Shown once the first paint is ready, so the advisor never sees an empty white frame.
    show: false,
    backgroundColor: '#0f1115',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      devTools,
    },
  };
}
