import { writeFile } from 'node:fs/promises';
import { advisorEmail, DEMO_PASSWORD } from '@tickfolio/db/demo';
import { signInToDesk } from '../test/support/desk-page';
import { startDeskServer } from '../test/support/desk-server';
import { launchChromium } from '../test/support/launch-chromium';

const server = await startDeskServer({ LOG_LEVEL: 'warn' });
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const cdp = await page.context().newCDPSession(page);
  const evs: unknown[] = [];
  cdp.on('Tracing.dataCollected', ({ value }) => evs.push(...value));
  await cdp.send('Tracing.start', { transferMode: 'ReportEvents', traceConfig: { includedCategories: ['toplevel', 'devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink', 'v8', 'v8.execute', '__metadata'] } });
  await signInToDesk(page, server.info.url, advisorEmail(1), DEMO_PASSWORD);
  await page.waitForTimeout(1500);
  const lt = await page.evaluate(() => new Promise((r) => new PerformanceObserver((l) => r(l.getEntries().map((e) => [e.startTime, e.duration]))).observe({ type: 'longtask', buffered: true })));
  console.log('longtasks', JSON.stringify(lt));
  const done = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
  await cdp.send('Tracing.end');
  await done;
  await writeFile('/tmp/desk/startup-trace.json', JSON.stringify({ traceEvents: evs }));
} finally {
  await browser.close();
  await server.stop();
}
