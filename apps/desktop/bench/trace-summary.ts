/**
 * Where the page's threads spend their time, read from a Chromium performance trace (BENCH_TRACE=1):
 * the CPU profile (BENCH_PROFILE=1) names script functions but lumps the browser's own work (style,
 * layout, paint, the socket, structured clones) into `(program)`; the trace's events name it. For the
 * page's main thread and each of its workers: the self time (an event's duration less the events nested
 * in it) of each kind of event, per second of the window, and the main thread's tasks over 50 ms.
 * Self times are CPU time (the trace's thread clock), not wall time: on a shared machine a task's wall
 * time also counts the time its thread waited for a core, which says nothing of what ran in it.
 */

/** The parts of a Chromium trace event read here. */
export interface TraceEvent {
  readonly name: string;
  readonly ph: string;
  readonly pid: number;
  readonly tid: number;
  /** Microseconds: wall clock (ts, dur) and the thread's CPU clock (tts, tdur). */
  readonly ts: number;
  readonly dur?: number;
  readonly tts?: number;
  readonly tdur?: number;
  readonly args?: {
    name?: string;
    data?: { frame?: string; type?: string; functionName?: string; url?: string; lineNumber?: number };
  };
}

/** One task over 50 ms of wall time on the main thread: when, how long, how much CPU, and what ran. */
export interface LongTask {
  /** Start, ms after the first event of the window. */
  readonly atMs: number;
  readonly wallMs: number;
  readonly cpuMs: number;
  /** The kinds of work in it with the most self CPU time, as "name ms", most first. */
  readonly top: readonly string[];
}

export interface ThreadSummary {
  readonly thread: string;
  /** Busy time per second of the window (top-level events): wall, and CPU of the thread. */
  readonly busyMsPerS: number;
  readonly cpuMsPerS: number;
  /** Self CPU time per second of the window by event name, the largest first. */
  readonly selfMsPerS: readonly { name: string; msPerS: number }[];
  /** Top-level tasks over 50 ms of wall time: how many, the longest, and the most CPU one of them held. */
  readonly tasksOver50Ms: number;
  readonly longestTaskMs: number;
  readonly longTaskMaxCpuMs: number;
  /** Each of those tasks, in the order they ran. */
  readonly longTasks: readonly LongTask[];
}

/** The task that wraps each unit of work on a Chromium thread. */
const TASK = new Set(['RunTask', 'ThreadControllerImpl::RunTask', 'ThreadPool_RunTask']);

interface Span {
  /** The event's name, with what it ran where the trace says (the script's function, the event's type). */
  readonly name: string;
  /** The event's name alone: what the task test looks for. */
  readonly kind: string;
  readonly start: number;
  readonly end: number;
  /** CPU time of the thread in the span (0 when the trace has no thread clock for it). */
  readonly cpu: number;
}

/** An event's name, and for script and event dispatch what ran: `FunctionCall bookView`, `EventDispatch message`. */
function labelOf(e: TraceEvent): string {
  const data = e.args?.data;
  if (!data) return e.name;
  if (data.functionName) return `${e.name} ${data.functionName}`;
  if (data.url && e.name === 'FunctionCall') {
    return `${e.name} ${data.url.split('/').at(-1)}:${data.lineNumber ?? '?'}`;
  }
  if (data.type) return `${e.name} ${data.type}`;
  return e.name;
}

/** Complete ('X') events and begin/end ('B'/'E') pairs of one thread as spans, in start order. */
function spansOf(events: readonly TraceEvent[]): Span[] {
  const spans: Span[] = [];
  const open: TraceEvent[] = [];
  for (const e of [...events].sort((a, b) => a.ts - b.ts)) {
    if (e.ph === 'X' && e.dur !== undefined) {
      spans.push({ name: labelOf(e), kind: e.name, start: e.ts, end: e.ts + e.dur, cpu: e.tdur ?? 0 });
    } else if (e.ph === 'B') open.push(e);
    else if (e.ph === 'E') {
      const begun = open.pop();
      const cpu = begun?.tts !== undefined && e.tts !== undefined ? e.tts - begun.tts : 0;
      if (begun) spans.push({ name: labelOf(begun), kind: begun.name, start: begun.ts, end: e.ts, cpu });
    }
  }
  // Outer spans first when two start together, so nesting is found by a stack.
  return spans.sort((a, b) => a.start - b.start || b.end - a.end);
}

function summarizeThread(thread: string, events: readonly TraceEvent[], seconds: number): ThreadSummary {
  const self = new Map<string, number>();
  const stack: { span: Span; children: number }[] = [];
  let busy = 0;
  let cpu = 0;
  const tasks: { start: number; wall: number; cpu: number; self: Map<string, number> }[] = [];
  /** Self time by name within the top-level span now open, for naming what a long task ran. */
  let taskSelf = new Map<string, number>();
  const add = (into: Map<string, number>, name: string, us: number) =>
    into.set(name, (into.get(name) ?? 0) + us);
  const close = (upTo: number) => {
    while (stack.length > 0 && stack[stack.length - 1]!.span.end <= upTo) {
      const { span, children } = stack.pop()!;
      const own = Math.max(0, span.cpu - children);
      add(self, span.name, own);
      add(taskSelf, span.name, own);
      const parent = stack[stack.length - 1];
      if (parent) parent.children += span.cpu;
      else {
        busy += span.end - span.start;
        cpu += span.cpu;
        if (TASK.has(span.kind)) {
          tasks.push({
            start: span.start,
            wall: (span.end - span.start) / 1000,
            cpu: span.cpu / 1000,
            self: taskSelf,
          });
        }
        taskSelf = new Map();
      }
    }
  };
  const spans = spansOf(events);
  const origin = spans[0]?.start ?? 0;
  for (const span of spans) {
    close(span.start);
    // A span that overruns its parent (clock rounding) is cut to it, so self times stay positive.
    const parent = stack[stack.length - 1];
    const end = parent ? Math.min(span.end, parent.span.end) : span.end;
    const cut = parent ? Math.min(span.cpu, parent.span.cpu) : span.cpu;
    stack.push({ span: { ...span, end, cpu: cut }, children: 0 });
  }
  close(Number.POSITIVE_INFINITY);
  const per = (us: number) => us / 1000 / seconds;
  const long = tasks.filter((t) => t.wall > 50);
  return {
    thread,
    busyMsPerS: per(busy),
    cpuMsPerS: per(cpu),
    selfMsPerS: [...self]
      .map(([name, us]) => ({ name, msPerS: per(us) }))
      .sort((a, b) => b.msPerS - a.msPerS)
      .slice(0, 14),
    tasksOver50Ms: long.length,
    longestTaskMs: Math.max(0, ...tasks.map((t) => t.wall)),
    longTaskMaxCpuMs: Math.max(0, ...long.map((t) => t.cpu)),
    longTasks: long.map((t) => ({
      atMs: (t.start - origin) / 1000,
      wallMs: t.wall,
      cpuMs: t.cpu,
      top: [...t.self]
        .filter(([, us]) => us >= 100)
        .sort((a, b) => b[1] - a[1])
        .slice(0, 8)
        .map(([name, us]) => `${name} ${(us / 1000).toFixed(1)}`),
    })),
  };
}

/**
 * The page's renderer main thread (the CrRendererMain of the process whose frame was traced: of the
 * processes Chromium names "Renderer", the one with the most work) and its dedicated workers, each
 * summarized over the window of `seconds`.
 */
export function summarizeTrace(events: readonly TraceEvent[], seconds: number): ThreadSummary[] {
  const names = new Map<string, string>();
  // Chromium's own pages (a WebUI renderer: the browser's omnibox popup) are not the page's.
  const notPages = new Set<number>();
  for (const e of events) {
    if (e.ph === 'M' && e.name === 'thread_name' && e.args?.name) names.set(`${e.pid}:${e.tid}`, e.args.name);
    if (e.ph === 'M' && e.name === 'process_name' && e.args?.name !== 'Renderer') notPages.add(e.pid);
  }
  // The renderer that ran the page's script: the process whose main thread has the most timeline work.
  const byThread = new Map<string, TraceEvent[]>();
  for (const e of events) {
    if (e.ph === 'M') continue;
    const key = `${e.pid}:${e.tid}`;
    const list = byThread.get(key) ?? [];
    if (list.length === 0) byThread.set(key, list);
    list.push(e);
  }
  const mains = [...byThread].filter(
    ([key]) => names.get(key) === 'CrRendererMain' && !notPages.has(Number(key.split(':')[0])),
  );
  const page = mains.sort((a, b) => b[1].length - a[1].length)[0];
  if (!page) return [];
  const pid = page[0].split(':')[0];
  const threads = [...byThread].filter(
    ([key]) => key.split(':')[0] === pid && /^(CrRendererMain|DedicatedWorker)/.test(names.get(key) ?? ''),
  );
  return threads.map(([key, list]) => summarizeThread(names.get(key) ?? key, list, seconds));
}
