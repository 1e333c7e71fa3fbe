import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/launch-chromium';
import { pdfToText } from './support/pdf-text';
import { runAxe } from './support/run-axe';
import { type StaticServer, serveStatic } from './support/static-server';
import { outputDir } from './support/test-output';

/** The desk's kind of policy: no inline script, so the harness must work under it. */
const STRICT_CSP = { 'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'" };

function page(title: string, main: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>
<body><main><h1>${title}</h1>${main}</main></body></html>`;
}

const holdings = `<table><caption>Holdings</caption>
<thead><tr><th scope="col">Instrument</th><th scope="col">Value</th></tr></thead>
<tbody><tr><td>Apple Inc.</td><td>USD 1,234,567.89</td></tr><tr><td>Infosys Ltd</td><td>INR 98,765.40</td></tr></tbody>
</table>`;

let server: StaticServer;
let browser: Browser;

beforeAll(async () => {
  server = await serveStatic({
    '/clean.html': { body: page('Book', holdings), headers: STRICT_CSP },
    // One deliberate violation: an image without a text alternative (axe's image-alt, critical).
    '/violation.html': {
      body: page('Client', `${holdings}<img src="/chart.png" width="10" height="10">`),
      headers: STRICT_CSP,
    },
    '/report.html': {
      body: page('Client report — Jane Doe', `<p>Total value: USD 1,333,333.29</p>${holdings}`),
    },
  });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function open(path: string): Promise<Page> {
  const tab = await browser.newPage();
  await tab.goto(`${server.url}${path}`);
  return tab;
}

describe('runAxe', () => {
  it('reports the deliberate violation, by rule and element, under a strict CSP', async () => {
    const tab = await open('/violation.html');
    // The policy is in force: an inline script is refused.
    await expect(tab.addScriptTag({ content: 'window.inline = 1' })).rejects.toThrow();
    const violations = await runAxe(tab);
    expect(violations).toEqual([
      { id: 'image-alt', impact: 'critical', help: expect.any(String), targets: ['img'] },
    ]);
    await tab.close();
  });

  it('reports nothing on an accessible page', async () => {
    const tab = await open('/clean.html');
    expect(await runAxe(tab)).toEqual([]);
    await tab.close();
  });

  it('leaves out what it is told to', async () => {
    const tab = await open('/violation.html');
    expect(await runAxe(tab, { exclude: ['img'] })).toEqual([]);
    await tab.close();
  });
});

describe('pdfToText', () => {
  it("reads back a page printed by Chromium, a holding's cells on one line", async () => {
    const tab = await open('/report.html');
    const pdf = await tab.pdf({ format: 'A4', printBackground: true });
    const text = await pdfToText(pdf);
    expect(text).toContain('Client report — Jane Doe');
    expect(text).toContain('Total value: USD 1,333,333.29');
    expect(text).toMatch(/Apple Inc\.\s+USD 1,234,567\.89/);
    await tab.close();
  });
});

describe('test output', () => {
  it('keeps screenshots under apps/desktop/test-output', async () => {
    const tab = await open('/clean.html');
    const path = join(await outputDir('browser-harness'), 'clean.png');
    await tab.screenshot({ path, fullPage: true });
    expect((await stat(path)).size).toBeGreaterThan(0);
    expect(path).toMatch(/apps\/desktop\/test-output\/browser-harness\/clean\.png$/);
    await tab.close();
  });
});
