/**
 * Where the page's threads spend their time, read from a Chromium performance trace (BENCH_TRACE=1):
 * the CPU profile (BENCH_PROFILE=1) names script functions but lumps the browser's own work (style,
 * layout, paint, the socket, structured clones) into `(program)`; the trace's events name it. For the
 * page's main thread and each of its workers: the self time (an event's duration less the events nested
 * in it) of each kind of event, per second of the window, and the main thread's tasks over 50 ms.
 */

/** The parts of a Chromium trace event read here. */
export interface TraceEvent {
  readonly name: string;
  readonly ph: string;
  readonly pid: number;
  readonly tid: number;
  /** Microseconds. */
  readonly ts: number;
  readonly dur?: number;
  readonly args?: { name?: string; data?: { frame?: string } };
}

export interface ThreadSummary {
  readonly thread: string;
  /** Busy time per second of the window (top-level tasks), ms. */
  readonly busyMsPerS: number;
  /** Self time per second of the window by event name, the largest first. */
  readonly selfMsPerS: readonly { name: string; msPerS: number }[];
  /** Top-level tasks over 50 ms: how many, and the longest, ms. */
  readonly tasksOver50Ms: number;
  readonly longestTaskMs: number;
}

/** The task that wraps each unit of work on a Chromium thread. */
const TASK = new Set(['RunTask', 'ThreadControllerImpl::RunTask', 'ThreadPool_RunTask']);

interface Span {
  readonly name: string;
  readonly start: number;
  readonly end: number;
}

/** Complete ('X') events and begin/end ('B'/'E') pairs of one thread as spans, in start order. */
function spansOf(events: readonly TraceEvent[]): Span[] {
  const spans: Span[] = [];
  const open: TraceEvent[] = [];
  for (const e of [...events].sort((a, b) => a.ts - b.ts)) {
    if (e.ph === 'X' && e.dur !== undefined) spans.push({ name: e.name, start: e.ts, end: e.ts + e.dur });
    else if (e.ph === 'B') open.push(e);
    else if (e.ph === 'E') {
      const begun = open.pop();
      if (begun) spans.push({ name: begun.name, start: begun.ts, end: e.ts });
    }
  }
  // Outer spans first when two start together, so nesting is found by a stack.
  return spans.sort((a, b) => a.start - b.start || b.end - a.end);
}

function summarizeThread(thread: string, events: readonly TraceEvent[], seconds: number): ThreadSummary {
  const self = new Map<string, number>();
  const stack: { span: Span; children: number }[] = [];
  let busy = 0;
  const tasks: number[] = [];
  const close = (upTo: number) => {
    while (stack.length > 0 && stack[stack.length - 1]!.span.end <= upTo) {
      const { span, children } = stack.pop()!;
      const length = span.end - span.start;
      self.set(span.name, (self.get(span.name) ?? 0) + Math.max(0, length - children));
      const parent = stack[stack.length - 1];
      if (parent) parent.children += length;
      else {
        busy += length;
        if (TASK.has(span.name)) tasks.push(length / 1000);
      }
    }
  };
  for (const span of spansOf(events)) {
    close(span.start);
    // A span that overruns its parent (clock rounding) is cut to it, so self times stay positive.
    const parent = stack[stack.length - 1];
    const end = parent ? Math.min(span.end, parent.span.end) : span.end;
    stack.push({ span: { ...span, end }, children: 0 });
  }
  close(Number.POSITIVE_INFINITY);
  const per = (us: number) => us / 1000 / seconds;
  return {
    thread,
    busyMsPerS: per(busy),
    selfMsPerS: [...self]
      .map(([name, us]) => ({ name, msPerS: per(us) }))
      .sort((a, b) => b.msPerS - a.msPerS)
      .slice(0, 14),
    tasksOver50Ms: tasks.filter((ms) => ms > 50).length,
    longestTaskMs: Math.max(0, ...tasks),
  };
}

/**
 * The page's renderer main thread (the CrRendererMain of the process whose frame was traced) and its
 * dedicated workers, each summarized over the window of `seconds`.
 */
export function summarizeTrace(events: readonly TraceEvent[], seconds: number): ThreadSummary[] {
  const names = new Map<string, string>();
  for (const e of events) {
    if (e.ph === 'M' && e.name === 'thread_name' && e.args?.name) names.set(`${e.pid}:${e.tid}`, e.args.name);
  }
  // The renderer that ran the page's script: the process whose main thread has the most timeline work.
  const byThread = new Map<string, TraceEvent[]>();
  for (const e of events) {
    if (e.ph === 'M') continue;
    const key = `${e.pid}:${e.tid}`;
    let list = byThread.get(key);
    if (!list) byThread.set(key, (list = []));
    list.push(e);
  }
  const mains = [...byThread].filter(([key]) => names.get(key) === 'CrRendererMain');
  const page = mains.sort((a, b) => b[1].length - a[1].length)[0];
  if (!page) return [];
  const pid = page[0].split(':')[0];
  const threads = [...byThread].filter(
    ([key]) =>
      key.split(':')[0] === pid && /^(CrRendererMain|DedicatedWorker)/.test(names.get(key) ?? ''),
  );
  return threads.map(([key, list]) => summarizeThread(names.get(key) ?? key, list, seconds));
}
