import { divide, pow10 } from './decimal';
import { exp, ln, RATE_SIGNIFICANT_DIGITS, RATE_WORK_SCALE, roundSignificant } from './fixed-point-math';
import { type CheckedFloats, certifiedRate } from './irr-certificate';
import { DAYS_PER_YEAR } from './periods';

/**
 * Money-weighted return: the internal rate of return of dated cash flows (Excel's XIRR):
 * NPV(r) = Σ a_i · (1 + r)^(−t_i / 365) = 0, t_i the days from the first flow.
 *
 * Solving: the NPV is scanned for sign changes over 1 + r from 0.001 to 1001 (−99.9 % to +100,000 % a
 * year); each bracket is solved by Newton's method, falling back to bisection whenever a Newton step
 * would leave the bracket (rtsafe). That iteration runs in binary floating point, but only to find the
 * candidate: each candidate is then polished by Newton steps in exact decimals (one, or up to three where
 * the root is ill conditioned), rounded half to even
 * to 10 significant digits (more, up to 20, if 10 do not suffice), and kept only if the decimal NPV at
 * the rounded rate is within half a minor unit of zero (the NPV is zero to the cent). The first step and
 * its test are decided from floating-point sums with error bounds where those prove what the exact
 * arithmetic would give (./irr-certificate), and computed exactly otherwise.
 *
 * Reported as:
 * - `unique`: one verified root;
 * - `multiple`: more than one verified root (flows that change sign more than once can have several);
 *   all are listed, ascending, and none is chosen;
 * - `none`: no root exists in the range (all flows of one sign, or no sign change of the NPV) or none
 *   could be verified — no answer rather than a wrong one. A root where the NPV only touches zero
 *   without changing sign is not found.
 */

export interface CashFlow {
  /** Day number. */
  readonly day: number;
  /** From the investor's side: negative = paid in, positive = taken out (or the value at the end). */
  readonly amount: bigint;
}

export type IrrResult =
  | { readonly status: 'unique'; readonly rate: bigint }
  | { readonly status: 'multiple'; readonly rates: readonly bigint[] }
  | { readonly status: 'none'; readonly reason: 'one-sign' | 'no-root' | 'unverified' };

export interface XirrOptions {
  /** Scale of the amounts. */
  readonly scale: number;
  /**
   * Decimal places of the currency's minor unit: a root is accepted when |NPV| at the rounded rate is
   * at most half a minor unit (0.005 for 2).
   */
  readonly minorDigits: number;
}

/**
 * What a solve keeps of one set of flows between calls (`xirr`'s `memo`): the flows before the last
 * day, prepared once — their floats, their NPV on the search grid, their amounts as the verification reads
 * them. When the next call's flows before the last day are the same (a new end value: a new price), only
 * the last day's flows are added to those sums; everything else is reused. The answer is the same as
 * without a memo: the prepared part is exactly what a fresh call computes from the same flows, and the
 * rest is computed again in the same order.
 */
export interface IrrMemo {
  prepared?: Prepared;
}

const W = RATE_WORK_SCALE + 12;
const ONE_W = pow10(W);
const GRID_LOW = Math.log(0.001);
const GRID_HIGH = Math.log(1001);
const GRID_STEP = 0.05;
const GRID_POINTS = Math.round((GRID_HIGH - GRID_LOW) / GRID_STEP);

/** Flows in floating point for the search: days from the first flow, amounts × 2^−shift. */
interface Floats {
  readonly t: Float64Array;
  readonly a: Float64Array;
}

/** The flows before the last day, with everything a solve derives from them alone. */
interface Prepared {
  readonly scale: number;
  readonly minorDigits: number;
  readonly flows: readonly CashFlow[];
  /** Day of the first flow (the tail's first day when there is none before it). */
  readonly t0: number | undefined;
  /** Amounts enter the search as amount × 2^−shift (exact scaling: the search is scale-free). */
  readonly unit: number;
  readonly floats: Floats;
  /** The NPV of these flows at each grid point, summed in order (the tail is added after them). */
  readonly grid: Float64Array;
  /** The amounts as the verification reads them (rounded below the minor unit), made when first needed. */
  checked?: CashFlow[];
  checkedFloats?: CheckedFloats;
}

function floatsOf(flows: readonly CashFlow[], t0: number, unit: number): Floats {
  return {
    t: Float64Array.from(flows, (f) => f.day - t0),
    a: Float64Array.from(flows, (f) => Number(f.amount) * unit),
  };
}

function prepare(flows: readonly CashFlow[], options: XirrOptions): Prepared {
  let max = 0n;
  for (const f of flows) {
    const m = f.amount < 0n ? -f.amount : f.amount;
    if (m > max) max = m;
  }
  // A power of two near the largest amount: scaling by it is exact, so the search's signs and steps are
  // those of the unscaled amounts, and nothing overflows.
  const unit = 2 ** -Math.max(0, max.toString(2).length - 1);
  const t0 = flows[0]?.day;
  const floats = floatsOf(flows, t0 ?? 0, unit);
  const grid = new Float64Array(GRID_POINTS + 1);
  // The grid is walked by multiplying each flow's discount factor by its per-step factor, one product
  // per flow and grid point instead of an exponential.
  const n = floats.t.length;
  const current = new Float64Array(n);
  const stepFactor = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const y = floats.t[i]! / DAYS_PER_YEAR;
    current[i] = Math.exp(-GRID_LOW * y);
    stepFactor[i] = Math.exp(-GRID_STEP * y);
  }
  for (let k = 0; k <= GRID_POINTS; k++) {
    let f = 0;
    for (let i = 0; i < n; i++) {
      f += floats.a[i]! * current[i]!;
      current[i]! *= stepFactor[i]!;
    }
    grid[k] = f;
  }
  return { scale: options.scale, minorDigits: options.minorDigits, flows, t0, unit, floats, grid };
}

function samePrepared(p: Prepared, flows: readonly CashFlow[], count: number, options: XirrOptions): boolean {
  if (p.scale !== options.scale || p.minorDigits !== options.minorDigits || p.flows.length !== count)
    return false;
  for (let i = 0; i < count; i++) {
    const a = p.flows[i]!;
    const b = flows[i]!;
    if (a.day !== b.day || a.amount !== b.amount) return false;
  }
  return true;
}

/** f(x) = Σ a_i · e^(−x·t_i/365), x = ln(1 + r), and its derivative, in floating point (head, then tail). */
function npvX(head: Floats, tail: Floats, x: number): [number, number] {
  let f = 0;
  let df = 0;
  for (const c of [head, tail]) {
    for (let i = 0; i < c.t.length; i++) {
      const y = c.t[i]! / DAYS_PER_YEAR;
      const v = c.a[i]! * Math.exp(-x * y);
      f += v;
      df -= y * v;
    }
  }
  return [f, df];
}

/** Newton's method kept inside [lo, hi] by bisection (Numerical Recipes' rtsafe). */
function rtsafe(head: Floats, tail: Floats, lo: number, hi: number): number {
  let [flo] = npvX(head, tail, lo);
  let a = lo;
  let b = hi;
  let x = (a + b) / 2;
  for (let iter = 0; iter < 200; iter++) {
    const [f, df] = npvX(head, tail, x);
    if (f === 0) return x;
    if (Math.sign(f) === Math.sign(flo)) {
      a = x;
      flo = f;
    } else b = x;
    const newton = df !== 0 ? x - f / df : Number.NaN;
    const next = newton > a && newton < b ? newton : (a + b) / 2;
    if (Math.abs(next - x) <= 1e-15 * Math.max(1, Math.abs(x))) return next;
    x = next;
  }
  return x;
}

/** v^n at W for a whole n ≥ 0, by squaring; small n from `small` (v^0 … v^63, filled as needed). */
function powInt(v: bigint, n: number, small: bigint[]): bigint {
  if (n < small.length) {
    let p = small[n];
    if (p === undefined) {
      p = n === 0 ? ONE_W : (powInt(v, n - 1, small) * v) / ONE_W;
      small[n] = p;
    }
    return p;
  }
  let result = ONE_W;
  let base = v;
  let k = n;
  while (k > 0) {
    if (k & 1) result = (result * base) / ONE_W;
    base = (base * base) / ONE_W;
    k >>= 1;
  }
  return result;
}

/**
 * NPV in exact decimals at W places (amount units × 10^W), with — when asked — its derivative with
 * respect to r and the sum of the discount factors (to bound the effect of rounded amounts).
 * v = (1 + r)^(−1/365) once; each flow's discount factor is v^t, built up from the previous flow's.
 */
export function decimalNpv(
  flows: readonly CashFlow[],
  rate: bigint,
  rateScale: number,
  withSlope = true,
): { npv: bigint; slope: bigint; factors: bigint } {
  const growth = pow10(W) + rate * pow10(W - rateScale);
  if (growth <= 0n) throw new RangeError('rate ≤ −100 %');
  const v = exp(-divide(ln(growth, W), 0, BigInt(DAYS_PER_YEAR), 0, 0), W);
  const small = new Array<bigint>(64);
  const t0 = flows[0]!.day;
  let npv = 0n;
  let weighted = 0n;
  let factors = 0n;
  let lastT = 0;
  let factor = ONE_W;
  for (const f of flows) {
    const t = f.day - t0;
    if (t !== lastT) {
      factor = (factor * powInt(v, t - lastT, small)) / ONE_W;
      lastT = t;
    }
    const pv = f.amount * factor; // amount units × 10^W
    npv += pv;
    factors += factor;
    if (withSlope) weighted += pv * BigInt(t);
  }
  // d/dr of Σ a·(1+r)^(−t/365) = −Σ (t/365)·a·(1+r)^(−t/365) / (1+r): one division for all flows.
  const slope = withSlope ? -divide(weighted, 0, BigInt(DAYS_PER_YEAR) * growth, W, 0) : 0n;
  return { npv, slope, factors };
}

/** The places amounts are checked at: six below the minor unit (or their own scale, if fewer). */
function checkScale(options: XirrOptions): number {
  return Math.min(options.scale, options.minorDigits + 6);
}

function checkedOf(flows: readonly CashFlow[], options: XirrOptions): CashFlow[] {
  const q = checkScale(options);
  if (q === options.scale) return flows as CashFlow[];
  return flows.map((f) => ({ day: f.day, amount: divide(f.amount, options.scale, 1n, 0, q) }));
}

function checkedFloatsOf(flows: readonly CashFlow[], t0: number): CheckedFloats {
  return {
    t: Float64Array.from(flows, (f) => f.day - t0),
    c: Float64Array.from(flows, (f) => Number(f.amount)),
  };
}

/**
 * The verified rate of a candidate root, or null. `amounts` are the flows as checked (rounded to six
 * places below the minor unit when their scale has more; each rounding moves a flow's present value by
 * at most half a unit there times its discount factor, and that bound is added to |NPV| before the test).
 */
function verifyExactly(amounts: readonly CashFlow[], start: bigint, options: XirrOptions): bigint | null {
  const S = RATE_WORK_SCALE;
  const rounded = options.scale > checkScale(options);
  const unitScale = checkScale(options);
  // Half a minor unit in amount units × 10^W.
  const limit = 5n * pow10(W + unitScale - options.minorDigits - 1);
  const accepted = (r: bigint): boolean => {
    const { npv, factors } = decimalNpv(amounts, r, S, false);
    const bound = rounded ? factors / 2n + 1n : 0n;
    return (npv < 0n ? -npv : npv) + bound <= limit;
  };
  // The floating-point root is good to about 15 digits where the NPV is well conditioned; one Newton step
  // in exact decimals makes it good to far more than the 10 digits shown (a second and third step only
  // when the first did not reach the tolerance, where the root is ill conditioned).
  let rate = start;
  for (let step = 0; step < 3; step++) {
    const { npv, slope } = decimalNpv(amounts, rate, S);
    if (slope === 0n) return null;
    rate -= divide(npv, 0, slope, 0, S);
    if (rate <= -pow10(S)) return null;
    if (step === 0) {
      const shown = roundSignificant(rate, RATE_SIGNIFICANT_DIGITS);
      if (accepted(shown)) return shown;
    }
  }
  for (let digits = RATE_SIGNIFICANT_DIGITS; digits <= 20; digits += 2) {
    const candidateRate = roundSignificant(rate, digits);
    if (accepted(candidateRate)) return candidateRate;
  }
  return null;
}

/**
 * Verifies a floating-point candidate: its first exact Newton step and test are first decided from
 * floating-point sums with error bounds where those prove the outcome (./irr-certificate), else computed
 * in exact decimals.
 */
function verify(
  p: Prepared,
  tail: readonly CashFlow[],
  candidate: number,
  options: XirrOptions,
  exactOnly: boolean,
): bigint | null {
  if (!Number.isFinite(candidate) || candidate <= -1) return null;
  const S = RATE_WORK_SCALE;
  const start = BigInt(Math.round(candidate * 1e15)) * pow10(S - 15);
  const t0 = p.t0 ?? tail[0]!.day;
  p.checked ??= checkedOf(p.flows, options);
  const tailChecked = checkedOf(tail, options);
  if (!exactOnly) {
    p.checkedFloats ??= checkedFloatsOf(p.checked, t0);
    const q = checkScale(options);
    const shown = certifiedRate(
      p.checkedFloats,
      checkedFloatsOf(tailChecked, t0),
      start,
      5 * 10 ** (q - options.minorDigits - 1),
      options.scale > q,
    );
    if (shown !== undefined) return shown;
  }
  return verifyExactly([...p.checked, ...tailChecked], start, options);
}

/**
 * The IRR of `flows` (any order), rates at RATE_WORK_SCALE. `memo` (kept by the caller between calls
 * for one series of flows, a period's say) reuses what the flows before the last day give when they are
 * unchanged; the answer is the same with or without it. `exactOnly` skips the floating-point
 * certificate of the verification (for tests that compare the two).
 */
export function xirr(
  input: readonly CashFlow[],
  options: XirrOptions,
  memo?: IrrMemo,
  exactOnly = false,
): IrrResult {
  const flows = input.filter((f) => f.amount !== 0n).sort((a, b) => a.day - b.day);
  const hasIn = flows.some((f) => f.amount < 0n);
  const hasOut = flows.some((f) => f.amount > 0n);
  if (!hasIn || !hasOut) return { status: 'none', reason: 'one-sign' };
  // The flows of the last day are the tail (the end value, which a new price moves); the rest is prepared
  // once per memo.
  const lastDay = flows[flows.length - 1]!.day;
  let split = flows.length;
  while (split > 0 && flows[split - 1]!.day === lastDay) split -= 1;
  let p = memo?.prepared;
  if (!p || !samePrepared(p, flows, split, options)) {
    p = prepare(flows.slice(0, split), options);
    if (memo) memo.prepared = p;
  }
  const tail = flows.slice(split);
  const t0 = p.t0 ?? lastDay;
  const tailFloats = floatsOf(tail, t0, p.unit);
  const m = tailFloats.t.length;
  const current = new Float64Array(m);
  const stepFactor = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    const y = tailFloats.t[i]! / DAYS_PER_YEAR;
    current[i] = Math.exp(-GRID_LOW * y);
    stepFactor[i] = Math.exp(-GRID_STEP * y);
  }
  const candidates: number[] = [];
  let prevX = GRID_LOW;
  let prevF = Number.NaN;
  for (let k = 0; k <= GRID_POINTS; k++) {
    const x = GRID_LOW + k * GRID_STEP;
    let f = p.grid[k]!;
    for (let i = 0; i < m; i++) {
      f += tailFloats.a[i]! * current[i]!;
      current[i]! *= stepFactor[i]!;
    }
    if (!Number.isFinite(f)) f = npvX(p.floats, tailFloats, x)[0];
    if (f === 0) candidates.push(x);
    else if (
      k > 0 &&
      prevF !== 0 &&
      Number.isFinite(f) &&
      Number.isFinite(prevF) &&
      Math.sign(f) !== Math.sign(prevF)
    ) {
      candidates.push(rtsafe(p.floats, tailFloats, prevX, x));
    }
    prevX = x;
    prevF = f;
  }
  if (candidates.length === 0) return { status: 'none', reason: 'no-root' };
  const roots: bigint[] = [];
  for (const x of candidates) {
    const r = verify(p, tail, Math.expm1(x), options, exactOnly);
    if (r !== null && !roots.includes(r)) roots.push(r);
  }
  roots.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (roots.length === 0) return { status: 'none', reason: 'unverified' };
  if (roots.length === 1) return { status: 'unique', rate: roots[0]! };
  return { status: 'multiple', rates: roots };
}
