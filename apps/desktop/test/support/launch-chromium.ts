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
 * what the frame-rate benchmark should measure against anyway.
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
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
}
