import { access } from 'node:fs/promises';
import { type Browser, chromium } from 'playwright-core';

/**
 * Debian's Chromium (`apt-get install chromium`; .ci/run installs it when missing). playwright-core
 * drives it over CDP and downloads no browser of its own. TICKFOLIO_CHROMIUM points elsewhere.
 */
export const CHROMIUM_PATH = process.env.TICKFOLIO_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Starts a headless Chromium for the browser tests. No sandbox because CI runs as root, where
 * Chromium refuses its sandbox; no GPU because the test machines have none, and software rendering is
 * what the frame-rate benchmark should measure against anyway. Without the omnibox's popup: Chromium
 * 156 loads that popup's WebUI page (Lit, its modules, its styles) in a renderer process of its own
 * for every new window, whose 130–200 ms of CPU ran beside the desk's start-up on the machine's two
 * cores (issue #14); the desk, in a browser tab or in Electron, never starts beside it.
 */
export async function launchChromium(): Promise<Browser> {
  try {
    await access(CHROMIUM_PATH);
  } catch {
    throw new Error(
      `no Chromium at ${CHROMIUM_PATH}: apt-get install -y chromium (or set TICKFOLIO_CHROMIUM)`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup',
    ],
  });
}
