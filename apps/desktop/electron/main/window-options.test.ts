import { describe, expect, it } from 'vitest';
import { windowOptions } from './window-options';

/**
 * Electron's security checklist, item by item, each with the web preferences that meet it: the test
 * names what each setting is for instead of restating the options object.
 */
const CHECKLIST: Record<string, Record<string, unknown>> = {
  'the page runs in a JavaScript world of its own, apart from the preload': { contextIsolation: true },
  'the renderer runs in Chromium’s sandbox': { sandbox: true },
  'the same-origin policy holds and no insecure content loads': {
    webSecurity: true,
    allowRunningInsecureContent: false,
  },
  'no <webview> can be attached': { webviewTag: false },
  'no experimental Chromium features': { experimentalFeatures: false },
};

describe('windowOptions', () => {
  for (const devTools of [false, true]) {
    const prefs = windowOptions('/app/preload.cjs', devTools).webPreferences ?? {};
    for (const [item, settings] of Object.entries(CHECKLIST)) {
      it(`${item} (devTools ${devTools})`, () => {
        expect(prefs).toMatchObject(settings);
      });
    }

    it(`gives the page, its workers and its subframes no Node.js (devTools ${devTools})`, () => {
      const nodeSwitches = Object.entries(prefs).filter(([key]) => key.startsWith('nodeIntegration'));
      expect(nodeSwitches.map(([key]) => key).sort()).toEqual([
        'nodeIntegration',
        'nodeIntegrationInSubFrames',
        'nodeIntegrationInWorker',
      ]);
      expect(nodeSwitches.every(([, on]) => on === false)).toBe(true);
    });

    it(`loads the given preload, the bridge alone (devTools ${devTools})`, () => {
      expect(prefs.preload).toBe('/app/preload.cjs');
    });
  }

  it('offers the developer tools only in the dev build', () => {
    expect(windowOptions('/p', false).webPreferences?.devTools).toBe(false);
    expect(windowOptions('/p', true).webPreferences?.devTools).toBe(true);
  });

  it('stays hidden until the first paint', () => {
    expect(windowOptions('/p', false).show).toBe(false);
  });
});
