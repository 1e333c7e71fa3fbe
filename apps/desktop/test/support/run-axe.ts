import axe from 'axe-core';
import type { Page } from 'playwright-core';

export interface AxeViolation {
  readonly id: string;
  readonly impact: 'serious' | 'critical';
  readonly help: string;
  /** CSS selectors of the offending elements. */
  readonly targets: readonly string[];
}

/**
 * Runs axe-core in the page and returns its serious and critical violations (the ones the desk must
 * not have; minor and moderate findings are left to review). axe is evaluated over the DevTools
 * protocol rather than added as a <script>, so the desk's CSP (script-src 'self') does not block it.
 * @axe-core/playwright would do the same but needs Node.js 22.
 */
export async function runAxe(
  page: Page,
  options: { exclude?: readonly string[] } = {},
): Promise<AxeViolation[]> {
  const loaded = await page.evaluate(() => 'axe' in window);
  if (!loaded) await page.evaluate(axe.source);
  return page.evaluate(async (exclude) => {
    const runner = (window as unknown as { axe: typeof axe }).axe;
    const context = exclude.length > 0 ? { include: [document], exclude: exclude.map((s) => [s]) } : document;
    const result = await runner.run(context as axe.ElementContext, { resultTypes: ['violations'] });
    return result.violations.flatMap((v) =>
      v.impact === 'serious' || v.impact === 'critical'
        ? [{ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }]
        : [],
    );
  }, options.exclude ?? []);
}
