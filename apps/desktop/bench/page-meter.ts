import type { CDPSession, Page } from 'playwright-core';

/** What the page did during one measuring window. */
export interface PageWindow {
  readonly seconds: number;
  /** Animation frames drawn in each whole second of the window. */
  readonly fpsPerSecond: readonly number[];
  /** Durations of the long tasks (over 50 ms, the browser's own threshold) that ended in the window. */
  readonly longTasksMs: readonly number[];
  /** The long animation frames (over 50 ms) of the window, with what ran in them. */
  readonly longFrames: readonly LongFrame[];
  /** The renderer's used JS heap, sampled once a second (bytes; CDP Performance.getMetrics). */
  readonly heapBytes: readonly number[];
  /** Live book frames the desk applied in the window (window.__tickfolioDesk.frames). */
  readonly bookFrames: number;
  readonly cost: PageCost;
}

/**
 * A long animation frame (the browser's 'long-animation-frame' entry, over 50 ms from the first task
 * after a frame was drawn to the end of drawing the next): when, how long, how it divides between the
 * tasks' script and the drawing (style, layout, paint), and each script that ran in it. It names the
 * work of a long task, which a 'longtask' entry does not.
 */
export interface LongFrame {
  /** Start, ms on the page's clock (performance.now). */
  readonly at: number;
  readonly ms: number;
  readonly blockingMs: number;
  /** From the start of drawing (requestAnimationFrame callbacks first) to the end, and of it style and layout. */
  readonly renderMs: number;
  readonly styleLayoutMs: number;
  /** Each script over 1 ms: its invoker (an event handler, a timer, a frame callback), its function, ms. */
  readonly scripts: readonly string[];
}

/**
 * The page's side, as source text: tsx compiles this file keeping function names (a `__name` helper the
 * page does not have), so a function handed to page.evaluate would fail there.
 */
const METER = `{
  const state = { frames: 0, longTasks: [], longFrames: [], installedAt: performance.now(), earlierLongTasks: [] };
  window.__meter = state;
  // The page's long tasks before the meter (the sign-in, the first book), from the browser's buffer:
  // reported apart, the windows count only their own.
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.startTime < state.installedAt) state.earlierLongTasks.push({ at: entry.startTime, ms: entry.duration });
    }
  }).observe({ type: 'longtask', buffered: true });
  const count = () => {
    state.frames++;
    requestAnimationFrame(count);
  };
  requestAnimationFrame(count);
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) state.longTasks.push(entry.duration);
  }).observe({ type: 'longtask' });
  if (PerformanceObserver.supportedEntryTypes.includes('long-animation-frame')) {
    new PerformanceObserver((list) => {
      for (const f of list.getEntries()) {
        const end = f.startTime + f.duration;
        state.longFrames.push({
          at: f.startTime,
          ms: f.duration,
          blockingMs: f.blockingDuration,
          renderMs: f.renderStart > 0 ? end - f.renderStart : 0,
          styleLayoutMs: f.styleAndLayoutStart > 0 ? end - f.styleAndLayoutStart : 0,
          scripts: f.scripts
            .filter((s) => s.duration >= 1)
            .map((s) => s.invoker + ' ' + (s.sourceFunctionName || '?') + ' ' + s.duration.toFixed(0) +
              (s.forcedStyleAndLayoutDuration >= 1 ? ' (forced style and layout ' + s.forcedStyleAndLayoutDuration.toFixed(0) + ')' : '')),
        });
      }
    }).observe({ type: 'long-animation-frame' });
  }
}`;

interface MeterState {
  frames: number;
  longTasks: number[];
  longFrames: LongFrame[];
  earlierLongTasks: EarlierLongTask[];
}

/** A long task before the meter: its start on the page's clock (ms from the navigation) and its length. */
export interface EarlierLongTask {
  readonly at: number;
  readonly ms: number;
}

/**
 * The long tasks (ms) the page had before the meter was installed — loading the desk, signing in,
 * drawing the first book — as the browser buffered them (it keeps them from the page's start).
 */
export async function longTasksBeforeMeter(page: Page): Promise<EarlierLongTask[]> {
  return page.evaluate(() => [...(window as unknown as { __meter: MeterState }).__meter.earlierLongTasks]);
}

/**
 * Starts counting in the page: every animation frame (requestAnimationFrame, as the screen is drawn)
 * and every long task (PerformanceObserver 'longtask'). Installed over the DevTools protocol, so the
 * desk's CSP does not stand in the way; it runs until the page goes.
 */
export async function installMeter(page: Page): Promise<CDPSession> {
  await page.evaluate(METER);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  return cdp;
}

/** The renderer's counters (CDP Performance.getMetrics), by name. */
async function metricsOf(cdp: CDPSession): Promise<Map<string, number>> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return new Map(metrics.map((m) => [m.name, m.value]));
}

/**
 * The page's own CPU cost, per second of the window: CPU time (not wall time) of its main thread and
 * of its renderer process, and the main thread's time in script, style and layout. On a shared machine
 * frames per second and long tasks also count the time the page waited for a core; these do not.
 */
export interface PageCost {
  readonly mainThreadCpuMsPerS: number;
  readonly processCpuMsPerS: number;
  readonly scriptMsPerS: number;
  readonly styleMsPerS: number;
  readonly layoutMsPerS: number;
}

const COST_METRICS: Record<keyof PageCost, string> = {
  mainThreadCpuMsPerS: 'ThreadTime',
  processCpuMsPerS: 'ProcessTime',
  scriptMsPerS: 'ScriptDuration',
  styleMsPerS: 'RecalcStyleDuration',
  layoutMsPerS: 'LayoutDuration',
};

function costBetween(before: Map<string, number>, after: Map<string, number>, seconds: number): PageCost {
  const per = (name: string) => (((after.get(name) ?? 0) - (before.get(name) ?? 0)) * 1000) / seconds;
  const entries = Object.entries(COST_METRICS).map(([key, name]) => [key, per(name)]);
  return Object.fromEntries(entries) as PageCost;
}

async function read(page: Page) {
  return page.evaluate(() => {
    const state = (window as unknown as { __meter: MeterState }).__meter;
    return {
      frames: state.frames,
      longTasks: state.longTasks.splice(0),
      longFrames: state.longFrames.splice(0),
      bookFrames: (window as { __tickfolioDesk?: { frames: number } }).__tickfolioDesk?.frames ?? 0,
      at: performance.now(),
    };
  });
}

/**
 * Measures the page for `seconds`: reads the frame counter at each whole second (by the page's clock),
 * the heap alongside, and the long tasks of the window. The waits are the window itself, not a guess
 * at how long something takes.
 */
export async function measureWindow(page: Page, cdp: CDPSession, seconds: number): Promise<PageWindow> {
  let previous = await read(page);
  const first = previous;
  const startMetrics = await metricsOf(cdp);
  const fpsPerSecond: number[] = [];
  const heapBytes: number[] = [];
  const longTasksMs: number[] = [];
  const longFrames: LongFrame[] = [];
  for (let s = 0; s < seconds; s++) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const now = await read(page);
    fpsPerSecond.push(((now.frames - previous.frames) * 1000) / (now.at - previous.at));
    longTasksMs.push(...now.longTasks);
    longFrames.push(...now.longFrames);
    heapBytes.push((await metricsOf(cdp)).get('JSHeapUsedSize') ?? Number.NaN);
    previous = now;
  }
  return {
    seconds,
    fpsPerSecond,
    longTasksMs,
    longFrames,
    heapBytes,
    bookFrames: previous.bookFrames - first.bookFrames,
    cost: costBetween(startMetrics, await metricsOf(cdp), (previous.at - first.at) / 1000),
  };
}
