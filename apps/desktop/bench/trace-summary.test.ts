import { describe, expect, it } from 'vitest';
import { summarizeTrace, type TraceEvent } from './trace-summary';

const PID = 7;
const MAIN = 1;
const meta = (tid: number, name: string): TraceEvent => ({
  name: 'thread_name',
  ph: 'M',
  pid: PID,
  tid,
  ts: 0,
  args: { name },
});
/** A complete event on the main thread: wall start and duration, and CPU start and duration, in µs. */
const span = (
  name: string,
  ts: number,
  dur: number,
  tts: number,
  tdur: number,
  data?: NonNullable<TraceEvent['args']>['data'],
): TraceEvent => ({
  name,
  ph: 'X',
  pid: PID,
  tid: MAIN,
  ts,
  dur,
  tts,
  tdur,
  ...(data ? { args: { data } } : {}),
});

describe('summarizeTrace', () => {
  it('lists each main-thread task over 50 ms with its wall time, its CPU time and what ran in it', () => {
    const events: TraceEvent[] = [
      meta(MAIN, 'CrRendererMain'),
      // A short task: not listed.
      span('ThreadControllerImpl::RunTask', 0, 4_000, 0, 4_000),
      // 80 ms of wall time holding 20 ms of CPU: a script of 12 ms (named by its function) and 5 ms of layout.
      span('ThreadControllerImpl::RunTask', 100_000, 80_000, 10_000, 20_000),
      span('FunctionCall', 101_000, 30_000, 10_500, 12_000, { functionName: 'publish' }),
      span('Layout', 140_000, 10_000, 23_000, 5_000),
    ];
    const [main] = summarizeTrace(events, 1);
    expect(main?.thread).toBe('CrRendererMain');
    expect(main?.tasksOver50Ms).toBe(1);
    expect(main?.longTasks).toEqual([
      {
        atMs: 100,
        wallMs: 80,
        cpuMs: 20,
        top: ['FunctionCall publish 12.0', 'Layout 5.0', 'ThreadControllerImpl::RunTask 3.0'],
      },
    ]);
    expect(main?.longTaskMaxCpuMs).toBe(20);
  });

  it("leaves out Chromium's own renderers (a WebUI page), however busy", () => {
    const WEBUI = 9;
    const processName = (pid: number, name: string): TraceEvent => ({
      name: 'process_name',
      ph: 'M',
      pid,
      tid: 0,
      ts: 0,
      args: { name },
    });
    const events: TraceEvent[] = [
      processName(PID, 'Renderer'),
      processName(WEBUI, 'WebUI Top Renderer'),
      meta(MAIN, 'CrRendererMain'),
      { ...meta(MAIN, 'CrRendererMain'), pid: WEBUI },
      span('ThreadControllerImpl::RunTask', 0, 60_000, 0, 10_000),
      ...[0, 1, 2].map((i) => ({
        ...span('ThreadControllerImpl::RunTask', i * 100_000, 90_000, 0, 80_000),
        pid: WEBUI,
      })),
    ];
    const summaries = summarizeTrace(events, 1);
    expect(summaries.map((t) => [t.thread, t.tasksOver50Ms, t.longestTaskMs])).toEqual([
      ['CrRendererMain', 1, 60],
    ]);
  });
});
