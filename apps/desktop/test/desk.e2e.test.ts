import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type ApiServer,
  findPricedClientHolding,
  openQuotePublisher,
  type QuotePublisher,
  signIn,
} from '@tickfolio/api/testing';
import { formatDecimal, type PriceQuote, parseDecimalRounded } from '@tickfolio/core';
import { DEMO_LOGINS, DEMO_PASSWORD } from '@tickfolio/db/demo';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { formatAmount } from '../src/renderer/format/decimal-text';
import {
  DESK_WAIT_MS,
  nearWhiteChartPixels,
  nextValueChange,
  plainText,
  signInToDesk,
  watchClientValue,
} from './support/desk-page';
import { startDeskServer } from './support/desk-server';
import { launchChromium } from './support/launch-chromium';
import { pdfToText } from './support/pdf-text';
import { RENDERER_DIR } from './support/renderer-build';
import { type AxeViolation, runAxe } from './support/run-axe';
import { outputDir } from './support/test-output';

/**
 * The advisors' desk end to end: the real server in service mode (its own process, on PostgreSQL,
 * Redis and NATS JetStream) serving the desk at /app, Chromium signed in as the demo advisor, and
 * prices published into JetStream as the fetcher publishes them.
 */

const WAIT = { timeout: DESK_WAIT_MS, interval: 100 };

/**
 * A small Tickfolio CSV: one buy of a catalogue instrument, one of an instrument the catalogue lacks,
 * and one row whose quantity is not a number.
 */
const IMPORT_FIXTURE = fileURLToPath(new URL('./fixtures/client-import.csv', import.meta.url));

type Advisor = Awaited<ReturnType<typeof signIn>>;

/** An amount as the desk shows it: at its currency's minor unit, grouped, with the currency code. */
const onScreen = (amount: string, currency: string) => `${formatAmount(amount, currency)} ${currency}`;

/** A trade `units` hundredths above `price` (a price of two decimals), stamped now. */
function tradeAbove(held: { instrumentId: string; currency: string; price: string }, units: bigint) {
  const quote: PriceQuote = {
    instrument: { instrumentId: held.instrumentId },
    price: formatDecimal(parseDecimalRounded(held.price, 2) + units, 2, 2),
    currency: held.currency as PriceQuote['currency'],
    asOf: new Date().toISOString(),
    source: 'desk-e2e',
    kind: 'trade',
  };
  return quote;
}

describe('the advisors’ desk in Chromium against the real server', () => {
  let server: ApiServer;
  let url: string;
  let browser: Browser;
  let page: Page;
  let advisor: Advisor;
  let publisher: QuotePublisher;
  let out: string;
  let held: NonNullable<Awaited<ReturnType<typeof findPricedClientHolding>>>;
  const latencies: { what: string; latencyMs: number }[] = [];

  beforeAll(async () => {
    [server, browser, out] = await Promise.all([startDeskServer(), launchChromium(), outputDir('desk-e2e')]);
    url = server.info.url;
    advisor = await signIn(url, DEMO_LOGINS.advisor);
    publisher = await openQuotePublisher(server.info);
    const found = await findPricedClientHolding(advisor);
    if (!found) throw new Error('the demo advisor has no client with a holding priced in cents');
    held = found;
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  });

  afterAll(async () => {
    // The set-up may have failed before the output directory was made: its error is the one to show.
    if (out) await writeFile(join(out, 'latency.json'), `${JSON.stringify(latencies, null, 2)}\n`);
    await browser?.close();
    await publisher?.close();
    await server?.stop();
  });

  /** The client's total as the API values it now, as the desk would show it. */
  async function apiClientValue(clientId: string): Promise<string> {
    const overview = await advisor.advisor.client.query({ clientId });
    const totals = overview.summary.totals;
    return onScreen(totals.marketValue, totals.currency);
  }

  /**
   * Publishes a price for the held instrument and waits for the client's total on screen to change,
   * recording how long that took from the moment of publishing; the new figure is then the API's.
   */
  async function publishAndSee(what: string, units: bigint): Promise<void> {
    const before = plainText(await page.getByTestId('client-value').textContent());
    await watchClientValue(page);
    const publishedAt = Date.now();
    await publisher.publishQuote(tradeAbove(held, units));
    const change = await nextValueChange(page, DESK_WAIT_MS);
    const latencyMs = Math.round(change.at - publishedAt);
    latencies.push({ what, latencyMs });
    console.log(`desk e2e: ${what}: the client's value changed on screen ${latencyMs} ms after publishing`);
    expect(plainText(change.text)).not.toBe(before);
    // What the screen settles on is the API's valuation of the new price.
    await vi.waitFor(async () => {
      expect(plainText(await page.getByTestId('client-value').textContent())).toBe(
        await apiClientValue(held.clientId),
      );
    }, WAIT);
  }

  /** axe's serious and critical findings on the screen in each colour scheme, with a screenshot of each. */
  async function axeAndScreenshots(screen: string) {
    const found: Record<string, AxeViolation[]> = {};
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      found[colorScheme] = await runAxe(page);
      await page.screenshot({ path: join(out, `${screen}-${colorScheme}.png`), fullPage: true });
    }
    await page.emulateMedia({ colorScheme: 'light' });
    return found;
  }

  it('serves a production build even when made under a test runner (NODE_ENV=test)', async () => {
    // vitest sets NODE_ENV=test; Vite would then bundle React's development runtime (jsxDEV), which
    // made the desk several times slower on the main thread than the production one. Checked here,
    // on the build this file made, rather than by a second caller racing it to build the same folder.
    expect(process.env.NODE_ENV).toBe('test');
    const scripts = (await readdir(join(RENDERER_DIR, 'assets'))).filter((f) => f.endsWith('.js'));
    expect(scripts.length).toBeGreaterThan(0);
    for (const file of scripts) {
      expect(await readFile(join(RENDERER_DIR, 'assets', file), 'utf8')).not.toContain('jsxDEV');
    }
  });

  it('signs in at /app and shows exactly the advisor’s clients, their totals and the AUM', async () => {
    await signInToDesk(page, url, DEMO_LOGINS.advisor, DEMO_PASSWORD);
    const clients = await advisor.advisor.clients.query();
    expect(clients.length).toBeGreaterThan(1);
    const rows = page.getByTestId('book-row');
    await vi.waitFor(async () => expect(await rows.count()).toBe(clients.length), WAIT);
    const shown = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-owner-id')));
    expect(shown.sort()).toEqual(clients.map((c) => c.clientId).sort());
    await expect(page.locator('.book-tools .count').textContent()).resolves.toBe(`${clients.length} clients`);

    // Each client in the advisor's view currency (advisor.clients' inView); one not reachable in it
    // shows its own-currency total and is left out of the AUM, which is in the view currency.
    let aum = 0n;
    let viewCurrency: string | undefined;
    let notInView = 0;
    for (const c of clients) {
      const row = page.locator(`[data-testid="book-row"][data-owner-id="${c.clientId}"]`);
      await expect(row.locator('td').first().textContent()).resolves.toContain(c.displayName);
      const total = plainText(await row.getByTestId('client-total').textContent());
      if (c.inView) {
        expect(total).toBe(onScreen(c.inView.marketValue, c.inView.currency));
        viewCurrency = c.inView.currency;
        aum += parseDecimalRounded(c.inView.marketValue, 8);
      } else if (c.totals) {
        expect(total).toBe(onScreen(c.totals.marketValue, c.totals.currency));
        notInView += 1;
      } else {
        expect(total).toBe('–');
        notInView += 1;
      }
    }
    expect(viewCurrency).toBeDefined();
    const figure = page.getByTestId('book-aum').locator(`[data-currency="${viewCurrency}"] .strong`);
    await expect(figure.textContent().then(plainText)).resolves.toBe(
      onScreen(formatDecimal(aum, 8), viewCurrency!),
    );
    if (notInView > 0) {
      await expect(page.getByTestId('book-not-in-view').textContent()).resolves.toBe(
        `${notInView} not in view`,
      );
    }
  });

  it('has no serious or critical accessibility violations on the book, light or dark', async () => {
    expect(await axeAndScreenshots('book')).toEqual({ light: [], dark: [] });
  });

  it('moves a client’s total in the book when a price is published (through the book’s worker)', async () => {
    const row = page.locator(`[data-testid="book-row"][data-owner-id="${held.clientId}"]`);
    const before = plainText(await row.getByTestId('client-total').textContent());
    await publisher.publishQuote(tradeAbove(held, 50n));
    // The row settles on the API's valuation of the new price, in the advisor's view currency.
    await vi.waitFor(
      async () => {
        const client = (await advisor.advisor.clients.query()).find((c) => c.clientId === held.clientId);
        const totals = client?.inView ?? client?.totals;
        const shown = plainText(await row.getByTestId('client-total').textContent());
        expect(shown).not.toBe(before);
        expect(shown).toBe(totals && onScreen(totals.marketValue, totals.currency));
      },
      { ...WAIT, interval: 250 },
    );
  });

  it('sorts, searches and moves by keys through the book (through the book’s worker)', async () => {
    const clients = await advisor.advisor.clients.query();
    // The names in the rows' screen order (data-index), as drawn.
    const names = () =>
      page
        .getByTestId('book-row')
        .evaluateAll((trs) =>
          trs
            .sort((a, b) => Number(a.getAttribute('data-index')) - Number(b.getAttribute('data-index')))
            .map((tr) => tr.querySelector('td.name a')?.textContent ?? ''),
        );
    const byName = clients.map((c) => c.displayName).sort(new Intl.Collator().compare);
    const sortByName = page.getByRole('button', { name: 'Client', exact: true });
    await sortByName.click();
    await vi.waitFor(async () => expect(await names()).toEqual(byName), WAIT);
    await sortByName.click();
    await vi.waitFor(async () => expect(await names()).toEqual([...byName].reverse()), WAIT);

    // A search by a client's last name: every client whose name or email holds it, and no other.
    const word = clients.at(-1)!.displayName.split(' ').at(-1)!.toLowerCase();
    const matching = clients.filter((c) => `${c.displayName} ${c.email}`.toLowerCase().includes(word));
    await page.getByTestId('book-search').fill(word);
    await vi.waitFor(async () => {
      expect((await names()).sort()).toEqual(matching.map((c) => c.displayName).sort());
      expect(plainText(await page.locator('.book-tools .count').textContent())).toBe(
        matching.length === clients.length
          ? `${clients.length} clients`
          : `${matching.length} of ${clients.length} clients`,
      );
    }, WAIT);
    // Esc empties the search, a second Esc goes to the rows; ↓ moves the selection, Enter opens it.
    await page.getByTestId('book-search').press('Escape');
    await vi.waitFor(async () => expect(await names()).toHaveLength(clients.length), WAIT);
    await page.getByTestId('book-search').press('Escape');
    await page.keyboard.press('ArrowDown');
    const selected = page.locator('[data-testid="book-row"][aria-current="true"]');
    await vi.waitFor(async () => expect(await selected.getAttribute('data-index')).toBe('1'), WAIT);
    const chosen = await selected.getAttribute('data-owner-id');
    await page.keyboard.press('Enter');
    await page
      .locator(`[data-testid="client-view"][data-owner-id="${chosen}"]`)
      .waitFor({ timeout: DESK_WAIT_MS });
    // Esc goes back to the book, sorted again by value, largest first.
    await page.keyboard.press('Escape');
    await page.getByTestId('book-table').waitFor({ timeout: DESK_WAIT_MS });
    await vi.waitFor(
      async () =>
        expect(await page.locator('th[aria-sort="descending"]').textContent()).toContain('Total value'),
      WAIT,
    );
  });

  it('opens a client with its API total and holdings, accessibly, light and dark', async () => {
    await page.locator(`[data-testid="book-row"][data-owner-id="${held.clientId}"] a`).click();
    const view = page.locator(`[data-testid="client-view"][data-owner-id="${held.clientId}"]`);
    await view.waitFor({ timeout: DESK_WAIT_MS });
    await vi.waitFor(async () => {
      expect(plainText(await page.getByTestId('client-value').textContent())).toBe(
        await apiClientValue(held.clientId),
      );
    }, WAIT);
    const { holdings } = (await advisor.advisor.client.query({ clientId: held.clientId })).holdings;
    const symbols = await page.getByTestId('holdings').locator('tbody tr td:first-child').allTextContents();
    expect(symbols.sort()).toEqual(holdings.map((h) => h.symbol).sort());
    expect(await axeAndScreenshots('client')).toEqual({ light: [], dark: [] });
  });

  it('draws the value chart in the colour scheme shown, its grid never light on dark', async () => {
    // The light scheme's grid lines are near white; once the scheme turns dark, nothing drawn is.
    await vi.waitFor(async () => expect(await nearWhiteChartPixels(page)).toBeGreaterThan(0), WAIT);
    await page.emulateMedia({ colorScheme: 'dark' });
    await vi.waitFor(async () => expect(await nearWhiteChartPixels(page)).toBe(0), WAIT);
    await page.screenshot({ path: join(out, 'client-chart-dark.png') });
    await page.emulateMedia({ colorScheme: 'light' });
    await vi.waitFor(async () => expect(await nearWhiteChartPixels(page)).toBeGreaterThan(0), WAIT);
  });

  it('prints the client report: the total as on screen and every holding', async () => {
    const { holdings } = (await advisor.advisor.client.query({ clientId: held.clientId })).holdings;
    const weightCells = page.locator('[data-testid=holdings] tbody tr td:last-child');
    const onScreen = async () => ({
      total: plainText(await page.getByTestId('client-value').textContent()),
      weights: (await weightCells.allTextContents()).map(plainText),
    });
    // The figures on screen around the printing: a price that moved the client meanwhile prints again.
    const { pdf, shown } = await vi.waitFor(async () => {
      const before = await onScreen();
      await page.emulateMedia({ media: 'print' });
      const printed = await page.pdf({ format: 'A4', printBackground: true });
      await page.emulateMedia({ media: 'screen' });
      expect(await onScreen()).toEqual(before);
      return { pdf: printed, shown: before };
    }, WAIT);
    await writeFile(join(out, 'client-report.pdf'), pdf);
    const text = (await pdfToText(pdf)).replace(/[ \t]+/g, ' ');
    // In reading order a name that wraps in its cell stays together, but for a neighbouring cell's text
    // that pdftotext may place between two of its lines (the symbol, on a row three lines high). A name
    // may also wrap at a hyphen ("All-" above "World"), which pdftotext joins again without it, to the
    // text that follows in reading order: "AllVWCE.DE World".
    const reading = (await pdfToText(pdf, { layout: false })).replace(/\s+/g, ' ');
    const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const wrapped = (name: string) =>
      new RegExp(
        name
          .split(' ')
          .map((word) => word.split('-').map(literal).join('-?(?: ?\\S+)? ?'))
          .join('(?: \\S+)? '),
      );
    expect(text).toContain(shown.total);
    for (const h of holdings) {
      expect(text).toContain(h.symbol);
      expect(reading).toMatch(wrapped(h.name));
    }
    // The table fits the page: its last column (each holding's weight) is on paper, not cut off.
    expect(shown.weights.length).toBe(holdings.length);
    for (const w of shown.weights) expect(text).toContain(w);
    // The screen's controls stay off the paper.
    expect(text).not.toContain('Export report');
  });

  it('shows a published price in the client’s value, live', async () => {
    await vi.waitFor(
      async () => expect(await page.getByTestId('connection').getAttribute('data-state')).toBe('live'),
      WAIT,
    );
    await publishAndSee('price published → client value on screen', 100n);
  });

  it('imports a Tickfolio CSV for the client: the dry run’s report, then the import, then the new value', async () => {
    const content = await readFile(IMPORT_FIXTURE, 'utf8');
    const { accounts } = (await advisor.advisor.client.query({ clientId: held.clientId })).summary;
    const account = accounts[accounts.length - 1]!;
    // What the API says the file would do, asked the way the desk will ask it (skip-invalid).
    const expected = await advisor.transactions.import.mutate({
      accountId: account.accountId,
      format: 'tickfolio-csv',
      content,
      dryRun: true,
      mode: 'skip-invalid',
    });
    // The fixture as described: one row to store, one naming an unknown instrument, one malformed.
    expect(expected).toMatchObject({ imported: 1, skipped: 0, errorCount: 2 });
    expect(expected.unknownInstruments.map((u) => u.symbol)).toEqual(['NOSUCHCO']);
    const valueBefore = await apiClientValue(held.clientId);

    await page.getByTestId('open-import').click();
    const form = page.getByTestId('import-file');
    await form.getByLabel('Account').selectOption(account.accountId);
    await form.locator('input[type="file"]').setInputFiles(IMPORT_FIXTURE);
    // The format is read from the file's header.
    await vi.waitFor(
      async () => expect(await form.getByLabel('Format').inputValue()).toBe('tickfolio-csv'),
      WAIT,
    );
    await form.getByLabel('On refused rows').selectOption('skip-invalid');
    await expect(form.getByTestId('import-run').isDisabled()).resolves.toBe(true);
    await form.getByRole('button', { name: 'Check (dry run)' }).click();

    const check = form.locator('[data-testid="import-report"][data-dry-run="true"]');
    await check.waitFor({ timeout: DESK_WAIT_MS });
    await expect(check.getAttribute('data-imported')).resolves.toBe(String(expected.imported));
    await expect(check.getAttribute('data-refused')).resolves.toBe(String(expected.errorCount));
    await expect(check.getByTestId('import-summary').textContent()).resolves.toBe(
      'Would import 1 transaction · 0 duplicates skipped · 2 rows refused · 1 instrument not in the catalogue.',
    );
    // Each refused row with its number and the server's sentence, as the API reports them.
    const refused = await check
      .getByTestId('import-refused')
      .locator('tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-row'), tr.lastElementChild?.textContent]));
    expect(refused).toEqual(expected.errors.map((e) => [String(e.row), e.message]));
    expect(refused.map(([row]) => row)).toContain('4');
    const unknown = await check
      .getByTestId('import-unknown')
      .locator('tbody tr td:first-child')
      .allTextContents();
    expect(unknown).toEqual(['NOSUCHCO']);
    // A dry run stores nothing.
    expect(await apiClientValue(held.clientId)).toBe(valueBefore);
    expect(await runAxe(page)).toEqual([]);
    await page.screenshot({ path: join(out, 'client-import-check.png'), fullPage: true });

    await form.getByTestId('import-run').click();
    const done = form.locator('[data-testid="import-report"][data-dry-run="false"]');
    await done.waitFor({ timeout: DESK_WAIT_MS });
    await expect(done.getAttribute('data-imported')).resolves.toBe('1');
    await expect(form.getByTestId('import-run').isDisabled()).resolves.toBe(true);

    // The client's value on screen becomes the one portfolio.summary gives with the bought shares.
    const summary = async () => {
      const { totals } = await advisor.portfolio.summary.query({ ownerId: held.clientId });
      return onScreen(totals.marketValue, totals.currency);
    };
    expect(await summary()).not.toBe(valueBefore);
    await vi.waitFor(async () => {
      expect(plainText(await page.getByTestId('client-value').textContent())).toBe(await summary());
    }, WAIT);
    await vi.waitFor(async () => {
      const symbols = await page.getByTestId('holdings').locator('tbody tr td:first-child').allTextContents();
      expect(symbols).toContain('MSFT');
    }, WAIT);

    // Checked again, the file has nothing left to store: its row is now recorded.
    await form.getByRole('button', { name: 'Check (dry run)' }).click();
    const again = form.locator('[data-testid="import-report"][data-dry-run="true"][data-skipped="1"]');
    await again.waitFor({ timeout: DESK_WAIT_MS });
    await expect(again.getAttribute('data-imported')).resolves.toBe('0');
    await expect(
      again.getByTestId('import-duplicates').locator('tbody tr').getAttribute('data-row'),
    ).resolves.toBe('2');
    await form.getByRole('button', { name: 'Cancel' }).click();
    await form.waitFor({ state: 'detached', timeout: DESK_WAIT_MS });
  });

  it('shows the connection lost while the server is down, and catches up after its restart', async () => {
    const connection = page.getByTestId('connection');
    await server.stopProcess();
    await page.waitForFunction(
      () => document.querySelector('[data-testid="connection"]')?.getAttribute('data-state') !== 'live',
      undefined,
      { timeout: DESK_WAIT_MS },
    );
    expect(['reconnecting', 'offline']).toContain(await connection.getAttribute('data-state'));
    await page.screenshot({ path: join(out, 'client-reconnecting.png') });

    await server.startProcess();
    await page.waitForFunction(
      () => document.querySelector('[data-testid="connection"]')?.getAttribute('data-state') === 'live',
      undefined,
      { timeout: 60_000 },
    );
    await publishAndSee('after a server restart: price published → client value on screen', 200n);
  });
  it('fits the holdings of the client with the most of them in a 1400-pixel window, the last column whole', async () => {
    let most = { clientId: held.clientId, count: 0 };
    for (const c of await advisor.advisor.clients.query()) {
      const count = (await advisor.advisor.client.query({ clientId: c.clientId })).holdings.holdings.length;
      if (count > most.count) most = { clientId: c.clientId, count };
    }
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto(`${url}/app/#/client/${encodeURIComponent(most.clientId)}`);
    const table = page.getByTestId('holdings');
    await vi.waitFor(async () => expect(await table.locator('tbody tr').count()).toBe(most.count), WAIT);
    const edges = await table.evaluate((t) => ({
      lastColumn: t.querySelector('thead th:last-child')!.getBoundingClientRect().right,
      panel: t.closest('.holdings-panel')!.getBoundingClientRect().right,
    }));
    expect(edges.lastColumn).toBeLessThanOrEqual(edges.panel);
    await page
      .getByLabel('Holdings', { exact: true })
      .screenshot({ path: join(out, 'client-holdings-1400.png') });
  });
});
