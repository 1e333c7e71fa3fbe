/**
 * Where the page's long tasks come from, read from its CPU profile (BENCH_PROFILE=1): each stretch of
 * the main thread busy without a break (no idle sample) that lasted over 50 ms of wall time, with how
 * much of it the thread ran (1 ms samples) and what it ran. A stretch of many samples is work of the
 * page's own; one of few samples and long gaps between them is a thread that waited for a core.
 */

/** The parts of a CDP Profiler.Profile read here. */
interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string }; children?: number[] }[];
  samples?: number[];
  timeDeltas?: number[];
}

export interface BusyStretch {
  readonly wallMs: number;
  /** Samples in the stretch: about the milliseconds of CPU the thread had in it. */
  readonly cpuMs: number;
  /** The functions most samples were in (their own time), most first. */
  readonly top: readonly string[];
}

/** Busy stretches of the main thread longer than `overMs`, longest first. */
export function busyStretches(profile: CpuProfile, overMs = 50): BusyStretch[] {
  const names = new Map(profile.nodes.map((n) => [n.id, n.callFrame.functionName || '(anonymous)']));
  const stretches: BusyStretch[] = [];
  let start = 0;
  let at = 0;
  let samples = 0;
  let counts = new Map<string, number>();
  const close = () => {
    const wallMs = (at - start) / 1000;
    if (samples > 0 && wallMs > overMs) {
      const top = [...counts].sort((a, b) => b[1] - a[1]).slice(0, 4);
      stretches.push({ wallMs, cpuMs: samples, top: top.map(([name, n]) => `${name} ${n}`) });
    }
    samples = 0;
    counts = new Map();
  };
  const deltas = profile.timeDeltas ?? [];
  for (const [i, id] of (profile.samples ?? []).entries()) {
    at += deltas[i] ?? 0;
    const name = names.get(id) ?? '?';
    if (name === '(idle)') {
      close();
      continue;
    }
    if (samples === 0) start = at;
    samples += 1;
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  close();
  return stretches.sort((a, b) => b.wallMs - a.wallMs);
}
