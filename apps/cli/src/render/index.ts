import type * as Progress from './progress';

/**
 * The render helpers, loaded on first use: ink (with its layout engine) is the slowest thing the CLI
 * loads, and commands that only print JSON or a line never need it.
 */
const load = {
  static: () => import('./static'),
  progress: () => import('./progress'),
  watch: () => import('./watch'),
};

type Lazy<F extends (...args: never[]) => Promise<unknown>> = (...args: Parameters<F>) => ReturnType<F>;

function lazy<M, K extends keyof M>(module: () => Promise<M>, name: K) {
  type F = M[K] extends (...args: never[]) => Promise<unknown> ? M[K] : never;
  return (async (...args: Parameters<F>) => {
    const fn = (await module())[name] as unknown as (...a: Parameters<F>) => ReturnType<F>;
    return fn(...args);
  }) as unknown as Lazy<F>;
}

export const renderTable = lazy(load.static, 'renderTable');
export const renderHoldings = lazy(load.static, 'renderHoldings');
export const renderPortfolio = lazy(load.static, 'renderPortfolio');
export const renderBook = lazy(load.static, 'renderBook');
export const renderImportReport = lazy(load.static, 'renderImportReport');
export const renderChart = lazy(load.static, 'renderChart');
export const renderError = lazy(load.static, 'renderError');
export const renderWatch = lazy(load.watch, 'renderWatch');
export const renderBookWatch = lazy(load.watch, 'renderBookWatch');

/** Generic over the work's result, so it is spelled out rather than made by `lazy`. */
export async function renderProgress<T>(...args: Parameters<typeof Progress.renderProgress<T>>): Promise<T> {
  return (await load.progress()).renderProgress<T>(...args);
}

export { renderJson, renderLine } from './output';
