import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { app, dialog } from 'electron';
import { type DesktopConfig, parseDesktopConfig } from './config';
import { createDesktopApp } from './desktop-app';
import { createElectronPorts } from './electron-adapter';

// Every renderer sandboxed, whatever a window's options say.
app.enableSandbox();

function loadConfig(): DesktopConfig {
  const settingsPath = join(app.getPath('userData'), 'settings.json');
  let settingsText: string | undefined;
  try {
    settingsText = readFileSync(settingsPath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  return parseDesktopConfig({ env: process.env, settingsText, argv: process.argv });
}

function fail(title: string, error: unknown, exitCode: number): void {
  dialog.showErrorBox(`Tickfolio Desk: ${title}`, error instanceof Error ? error.message : String(error));
  app.exit(exitCode);
}

let config: DesktopConfig | undefined;
try {
  config = loadConfig();
} catch (error) {
  // Exit code 2 for a bad configuration, as the server and fetcher use.
  void app.whenReady().then(() => fail('configuration', error, 2));
}

if (config !== undefined) {
  // The bundle sits beside its preload in dist/electron (see electron/build.mjs).
  const desktop = createDesktopApp(config, createElectronPorts(join(__dirname, 'preload.cjs')));
  // One window is the app: closing it quits, on macOS too.
  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', () => desktop.stop());
  desktop.start().catch((error: unknown) => fail('start-up failed', error, 1));
}
