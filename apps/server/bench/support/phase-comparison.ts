/**
 * The "with and without the rules" comparison of `pnpm bench:pipeline`: phases alternate on one server
 * (without, with, without, …, without), so every phase with the rules sits between two without them.
 * On a shared machine a phase's p99 drifts from one phase to the next by more than a small cost would
 * move it, so one triple says little; several say whether the phases with the rules stand out. If the
 * rules cost nothing, the phase with them is equally likely to be the lowest, the middle or the highest
 * of its triple (the three are then alike), so the count of "highest" is binomial with p = 1/3.
 */
export interface PhaseFigures {
  readonly withRules: boolean;
  readonly p50: number;
  readonly p99: number;
  /** The server's main thread's share of the wall time spent waiting for a core (0 to 1), if read. */
  readonly serverWaited: number | undefined;
}

export interface TripleFigures {
  /** Index of the phase with the rules. */
  readonly phase: number;
  /** 1 (the lowest p99 of its triple) to 3 (the highest); ties count against the rules. */
  readonly rank: 1 | 2 | 3;
  /** The same for the p50, which moves less from phase to phase than the p99. */
  readonly p50Rank: 1 | 2 | 3;
  /** Its p99 over the mean of its two neighbours' p99s. */
  readonly p99Ratio: number;
  /** Its p50 over the mean of its neighbours'. */
  readonly p50Ratio: number;
  /** Its server thread's wait for a core minus the mean of its neighbours', in points (undefined: unread). */
  readonly waitedPoints: number | undefined;
}

export interface PhaseComparison {
  readonly triples: readonly TripleFigures[];
  /** How many of the triples have the phase with the rules lowest, middle and highest (p99). */
  readonly ranks: readonly [number, number, number];
  /** The chance of at least that many "highest" if the rules cost nothing (binomial, p = 1/3). */
  readonly chanceOfHighest: number;
  /** The same two for the p50. */
  readonly p50Ranks: readonly [number, number, number];
  readonly p50ChanceOfHighest: number;
  readonly medianP99Ratio: number;
  readonly medianP50Ratio: number;
  readonly medianWaitedPoints: number | undefined;
}

function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** P(X ≥ k) for X ~ Binomial(n, p). */
export function binomialTail(n: number, k: number, p: number): number {
  let sum = 0;
  let choose = 1;
  for (let i = 0; i <= n; i++) {
    if (i > 0) choose = (choose * (n - i + 1)) / i;
    if (i >= k) sum += choose * p ** i * (1 - p) ** (n - i);
  }
  return Math.min(1, sum);
}

/** Compares every phase with the rules with its two neighbours without them. */
export function comparePhases(phases: readonly PhaseFigures[]): PhaseComparison {
  const triples: TripleFigures[] = [];
  for (let i = 1; i + 1 < phases.length; i++) {
    const mid = phases[i]!;
    const before = phases[i - 1]!;
    const after = phases[i + 1]!;
    if (!mid.withRules || before.withRules || after.withRules) continue;
    // A neighbour as slow as it counts as below it: a tie ranks the phase with the rules higher.
    const rankOf = (p: (f: PhaseFigures) => number) =>
      ([before, after].filter((f) => p(f) <= p(mid)).length + 1) as 1 | 2 | 3;
    const waited =
      mid.serverWaited !== undefined && before.serverWaited !== undefined && after.serverWaited !== undefined
        ? 100 * (mid.serverWaited - (before.serverWaited + after.serverWaited) / 2)
        : undefined;
    triples.push({
      phase: i,
      rank: rankOf((f) => f.p99),
      p50Rank: rankOf((f) => f.p50),
      p99Ratio: mid.p99 / ((before.p99 + after.p99) / 2),
      p50Ratio: mid.p50 / ((before.p50 + after.p50) / 2),
      waitedPoints: waited,
    });
  }
  const ranks: [number, number, number] = [0, 0, 0];
  const p50Ranks: [number, number, number] = [0, 0, 0];
  for (const t of triples) {
    ranks[t.rank - 1]!++;
    p50Ranks[t.p50Rank - 1]!++;
  }
  const waits = triples.flatMap((t) => (t.waitedPoints === undefined ? [] : [t.waitedPoints]));
  return {
    triples,
    ranks,
    chanceOfHighest: binomialTail(triples.length, ranks[2], 1 / 3),
    p50Ranks,
    p50ChanceOfHighest: binomialTail(triples.length, p50Ranks[2], 1 / 3),
    medianP99Ratio: median(triples.map((t) => t.p99Ratio)),
    medianP50Ratio: median(triples.map((t) => t.p50Ratio)),
    medianWaitedPoints: waits.length > 0 ? median(waits) : undefined,
  };
}

const ratio = (r: number) => `${r.toFixed(2)}×`;
const RANK_NAMES = ['lowest', 'middle', 'highest'] as const;

/** The comparison as report lines, below the bench's table of phases. */
export function describeComparison(what: string, c: PhaseComparison): string[] {
  if (c.triples.length === 0) return [`no phase with ${what} between two without`];
  const lines = [
    `| phase with ${what} | its p99 among its triple | p99 over its neighbours' mean | its p50 among its triple | p50 over theirs | server thread's wait for a core, minus theirs |`,
    '|---|---|---|---|---|---|',
  ];
  for (const t of c.triples) {
    lines.push(
      `| ${t.phase + 1} | ${RANK_NAMES[t.rank - 1]} | ${ratio(t.p99Ratio)} | ${RANK_NAMES[t.p50Rank - 1]} | ` +
        `${ratio(t.p50Ratio)} | ${t.waitedPoints === undefined ? '—' : `${t.waitedPoints.toFixed(1)} points`} |`,
    );
  }
  const [lowest, middle, highest] = c.ranks;
  const [p50Lowest, p50Middle, p50Highest] = c.p50Ranks;
  lines.push(
    '',
    `tick → portfolio.live with ${what} against the phases either side, ${c.triples.length} triple(s): ` +
      `lowest p99 ${lowest}, middle ${middle}, highest ${highest} (if ${what} cost nothing, each is a third: ` +
      `${highest} or more highest by chance ${(100 * c.chanceOfHighest).toFixed(0)} %); lowest p50 ${p50Lowest}, ` +
      `middle ${p50Middle}, highest ${p50Highest} (by chance ${(100 * c.p50ChanceOfHighest).toFixed(0)} %); median p99 ratio ` +
      `${ratio(c.medianP99Ratio)}, p50 ${ratio(c.medianP50Ratio)}` +
      (c.medianWaitedPoints === undefined
        ? ''
        : `; the server's main thread waited for a core ${c.medianWaitedPoints.toFixed(1)} points more (median)`),
  );
  return lines;
}
