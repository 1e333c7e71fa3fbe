import type { Page } from 'playwright-core';

/** The generous limit of every wait on the desk: the machine is shared and may be busy. */
export const DESK_WAIT_MS = 30_000;

/** When each step of signing in ended, in ms on the page's clock (performance.now, from the navigation). */
export interface SignInSteps {
  /** The sign-in form was on screen: the desk's first script evaluated and rendered. */
  readonly formShownAt: number;
  /** The form was filled in and about to be sent. */
  readonly submittedAt: number;
  /** The book showed, loaded. */
  readonly bookShownAt: number;
}

/**
 * Opens the desk the server serves at `${server}/app/` and signs in through its form, as an advisor
 * does; resolves once the book has loaded (advisor.clients answered), with when each step ended.
 */
export async function signInToDesk(
  page: Page,
  server: string,
  email: string,
  password: string,
): Promise<SignInSteps> {
  const pageNow = () => page.evaluate(() => performance.now());
  await page.goto(`${server}/app/`);
  const form = page.getByTestId('signin-form');
  await form.waitFor({ timeout: DESK_WAIT_MS });
  const formShownAt = await pageNow();
  await form.locator('input[name="server"]').fill(server);
  await form.locator('input[name="email"]').fill(email);
  await form.locator('input[name="password"]').fill(password);
  const submittedAt = await pageNow();
  await form.locator('button[type="submit"]').click();
  await page.getByTestId('book-table').waitFor({ timeout: DESK_WAIT_MS });
  await page.getByText('Loading your book…').waitFor({ state: 'hidden', timeout: DESK_WAIT_MS });
  return { formShownAt, submittedAt, bookShownAt: await pageNow() };
}

/** The text of an element as a person reads it: whitespace runs made single spaces, trimmed. */
export function plainText(text: string | null): string {
  return (text ?? '').replace(/\s+/g, ' ').trim();
}

/**
 * Arms a watch in the page for the next change of the client's total on screen, timed by the page's
 * clock (the same wall clock as this process's `Date.now()`); `nextValueChange` resolves with it.
 */
export async function watchClientValue(page: Page): Promise<void> {
  await page.evaluate(() => {
    const read = () => document.querySelector('[data-testid="client-value"]')?.textContent ?? null;
    const before = read();
    const w = window as unknown as { __valueChange?: { at: number; text: string } | null };
    w.__valueChange = null;
    // The whole document is watched: a re-render may replace the element itself.
    const observer = new MutationObserver(() => {
      const now = read();
      if (now !== null && now !== before) {
        w.__valueChange = { at: performance.timeOrigin + performance.now(), text: now };
        observer.disconnect();
      }
    });
    observer.observe(document.body, { subtree: true, childList: true, characterData: true });
  });
}

/** Waits for the change `watchClientValue` armed for, and returns when (epoch ms) and what it showed. */
export async function nextValueChange(page: Page, timeoutMs: number): Promise<{ at: number; text: string }> {
  const handle = await page.waitForFunction(
    () => (window as unknown as { __valueChange?: { at: number; text: string } | null }).__valueChange,
    undefined,
    { timeout: timeoutMs, polling: 'raf' },
  );
  return (await handle.jsonValue()) as { at: number; text: string };
}

/**
 * How many pixels of the value chart's plot area are near white (each channel above 200, not
 * transparent): the light scheme's grid lines are; in the dark scheme nothing drawn there is. The plot
 * area is the chart's largest canvases (the axes' are narrower or shorter; their labels may rightly be
 * white on a coloured tag). The pointer is moved off the page first, so no crosshair is drawn.
 */
export async function nearWhiteChartPixels(page: Page): Promise<number> {
  await page.mouse.move(0, 0);
  return page.evaluate(() => {
    const canvases = Array.from(document.querySelectorAll<HTMLCanvasElement>('.chart canvas'));
    const largest = Math.max(...canvases.map((c) => c.width * c.height));
    let count = 0;
    for (const canvas of canvases.filter((c) => c.width * c.height === largest && largest > 0)) {
      const context = canvas.getContext('2d');
      if (!context) continue;
      const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
      for (let i = 0; i < data.length; i += 4) {
        if (data[i]! > 200 && data[i + 1]! > 200 && data[i + 2]! > 200 && data[i + 3]! > 0) count++;
      }
    }
    return count;
  });
}
