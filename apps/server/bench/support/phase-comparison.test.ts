import { describe, expect, it } from 'vitest';
import { binomialTail, comparePhases, type PhaseFigures } from './phase-comparison';

const phase = (withRules: boolean, p99: number, serverWaited?: number): PhaseFigures => ({
  withRules,
  p50: p99 / 4,
  p99,
  serverWaited,
});

describe('comparePhases', () => {
  it('ranks each phase with the rules against its two neighbours', () => {
    const c = comparePhases([
      phase(false, 100, 0.3),
      phase(true, 300, 0.36),
      phase(false, 200, 0.32),
      phase(true, 150, 0.3),
      phase(false, 120, 0.28),
      phase(true, 50, 0.3),
      phase(false, 60, 0.3),
    ]);
    expect(c.triples.map((t) => t.rank)).toEqual([3, 2, 1]);
    // The p50s here are a quarter of the p99s: the same ranks.
    expect(c.triples.map((t) => t.p50Rank)).toEqual([3, 2, 1]);
    expect(c.p50Ranks).toEqual([1, 1, 1]);
    expect(c.ranks).toEqual([1, 1, 1]);
    expect(c.triples[0]!.p99Ratio).toBe(2);
    expect(c.triples[0]!.waitedPoints).toBeCloseTo(5, 10);
    expect(c.medianP99Ratio).toBeCloseTo(150 / 160, 10);
    expect(c.medianWaitedPoints).toBeCloseTo(1, 10);
    // One "highest" of three triples: P(X ≥ 1) = 1 − (2/3)^3.
    expect(c.chanceOfHighest).toBeCloseTo(1 - (2 / 3) ** 3, 12);
  });

  it('counts a tie against the rules and leaves unread waits out', () => {
    const c = comparePhases([phase(false, 100), phase(true, 100), phase(false, 100)]);
    expect(c.triples[0]!.rank).toBe(3);
    expect(c.medianWaitedPoints).toBeUndefined();
    const tied = comparePhases([phase(false, 100), phase(true, 100), phase(false, 110)]);
    expect(tied.triples[0]!.rank).toBe(2);
  });

  it('ranks the p50 apart from the p99', () => {
    const c = comparePhases([
      { withRules: false, p50: 30, p99: 400, serverWaited: undefined },
      { withRules: true, p50: 50, p99: 150, serverWaited: undefined },
      { withRules: false, p50: 35, p99: 200, serverWaited: undefined },
    ]);
    expect(c.triples[0]!.rank).toBe(1);
    expect(c.triples[0]!.p50Rank).toBe(3);
    expect(c.p50ChanceOfHighest).toBeCloseTo(1 / 3, 12);
  });

  it('skips phases that are not between two phases without rules', () => {
    const c = comparePhases([phase(true, 100), phase(false, 100), phase(true, 100)]);
    expect(c.triples).toEqual([]);
    expect(c.chanceOfHighest).toBe(1);
  });
});

describe('binomialTail', () => {
  it('sums the upper tail', () => {
    expect(binomialTail(3, 0, 1 / 3)).toBeCloseTo(1, 12);
    expect(binomialTail(3, 3, 1 / 3)).toBeCloseTo(1 / 27, 12);
    expect(binomialTail(9, 6, 1 / 3)).toBeCloseTo(0.042422, 5);
  });
});
