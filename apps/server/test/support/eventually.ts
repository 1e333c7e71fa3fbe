import { setTimeout as delay } from 'node:timers/promises';

/**
 * Polls `check` until it holds or `timeoutMs` passes, and says whether it held: for waits whose end is
 * measured and recorded rather than asserted at once (vi.waitFor throws).
 */
export async function eventually(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await delay(100);
  }
}
