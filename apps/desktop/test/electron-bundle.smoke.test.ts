import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const desktopDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const fakeElectron = join(desktopDir, 'test', 'support', 'fake-electron.cjs');

let outdir: string;

/**
 * The built bundles, run in Node.js against a recording stand-in for Electron (the binary is not
 * installed here): proves the adapter wires the tested policies into the Electron calls they belong
 * to, and that the preload exposes exactly the bridge.
 */
beforeAll(async () => {
  outdir = await mkdtemp(join(tmpdir(), 'tickfolio-electron-bundle-'));
  await run(process.execPath, ['electron/build.mjs', `--outdir=${outdir}`], { cwd: desktopDir });
});

afterAll(async () => {
  await rm(outdir, { recursive: true, force: true });
});

async function runBundle(file: string, env: Record<string, string> = {}): Promise<unknown[][]> {
  const { stdout } = await run(process.execPath, ['--require', fakeElectron, join(outdir, file)], {
    env: { PATH: process.env.PATH, ...env },
  });
  return stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as unknown[]);
}

function find(calls: unknown[][], name: string): unknown[][] {
  return calls.filter((c) => c[0] === name).map((c) => c.slice(1));
}

describe('main bundle', () => {
  it('locks the session and window down, registers the bridge and loads the desk from the server', async () => {
    const calls = await runBundle('main.cjs', { TICKFOLIO_SERVER_URL: 'https://desk.example' });
    expect(find(calls, 'app.enableSandbox')).toHaveLength(1);
    const [[options]] = find(calls, 'new BrowserWindow') as [[{ webPreferences: Record<string, unknown> }]];
    expect(options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
    });
    expect(options.webPreferences.preload).toBe(join(outdir, 'preload.cjs'));
    const [[reply]] = find(calls, 'response headers') as [[{ responseHeaders: Record<string, string[]> }]];
    expect(reply.responseHeaders['Content-Security-Policy']?.[0]).toContain(
      'connect-src https://desk.example wss://desk.example',
    );
    expect(find(calls, 'permission request media')).toEqual([[false]]);
    expect(find(calls, 'permission check notifications')).toEqual([[false]]);
    expect(find(calls, 'window open of a web link')).toEqual([[{ action: 'deny' }]]);
    expect(find(calls, 'openExternal')).toEqual([['https://example.com/']]);
    expect(find(calls, 'webContents.on').flat()).toEqual(
      expect.arrayContaining(['will-navigate', 'will-redirect', 'will-attach-webview', 'did-fail-load']),
    );
    expect(find(calls, 'ipcMain.handle').flat().sort()).toEqual([
      'tickfolio:export-pdf',
      'tickfolio:notify',
      'tickfolio:session-load',
      'tickfolio:session-save',
    ]);
    expect(find(calls, 'menu')).toEqual([[['&File', 'editMenu', '&View', 'windowMenu']]]);
    expect(find(calls, 'loadURL')).toEqual([['https://desk.example/app/']]);
  });

  it('refuses a bad server URL with an error box and exit code 2, opening no window', async () => {
    const calls = await runBundle('main.cjs', { TICKFOLIO_SERVER_URL: 'file:///etc/passwd' });
    expect(find(calls, 'error box')).toEqual([
      ['Tickfolio Desk: configuration', expect.stringContaining('TICKFOLIO_SERVER_URL')],
    ]);
    expect(find(calls, 'app.exit')).toEqual([[2]]);
    expect(find(calls, 'new BrowserWindow')).toEqual([]);
  });
});

describe('preload bundle', () => {
  it('exposes window.tickfolio with exactly the bridge', async () => {
    const calls = await runBundle('preload.cjs');
    expect(find(calls, 'exposeInMainWorld')).toEqual([
      ['tickfolio', { session: ['load', 'save'], methods: ['session', 'notify', 'exportPdf'] }],
    ]);
  });
});
