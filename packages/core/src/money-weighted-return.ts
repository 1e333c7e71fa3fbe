import { divide, pow10 } from './decimal';
import { exp, ln, RATE_SIGNIFICANT_DIGITS, RATE_WORK_SCALE, roundSignificant } from './fixed-point-math';
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
 * the rounded rate is within half a minor unit of zero (the NPV is zero to the cent).
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

const W = RATE_WORK_SCALE + 12;
const ONE_W = pow10(W);
const GRID_LOW = Math.log(0.001);
const GRID_HIGH = Math.log(1001);
const GRID_STEP = 0.05;

interface Compact {
  readonly t: Float64Array;
  readonly a: Float64Array;
}

/** f(x) = Σ a_i · e^(−x·t_i/365), x = ln(1 + r), and its derivative, in floating point. */
function npvX(c: Compact, x: number): [number, number] {
  let f = 0;
  let df = 0;
  for (let i = 0; i < c.t.length; i++) {
    const y = c.t[i]! / DAYS_PER_YEAR;
    const v = c.a[i]! * Math.exp(-x * y);
    f += v;
    df -= y * v;
  }
  return [f, df];
}

/** Newton's method kept inside [lo, hi] by bisection (Numerical Recipes' rtsafe). */
function rtsafe(c: Compact, lo: number, hi: number): number {
  let [flo] = npvX(c, lo);
  let a = lo;
  let b = hi;
  let x = (a + b) / 2;
  for (let iter = 0; iter < 200; iter++) {
    const [f, df] = npvX(c, x);
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

function verify(flows: readonly CashFlow[], candidate: number, options: XirrOptions): bigint | null {
  if (!Number.isFinite(candidate) || candidate <= -1) return null;
  const S = RATE_WORK_SCALE;
  // Amounts are checked at six places below the minor unit; each rounding moves a flow's present value by
  // at most half a unit there times its discount factor, and that bound is added to |NPV| before the test.
  const q = options.minorDigits + 6;
  const rounded = options.scale > q;
  const amounts = rounded
    ? flows.map((f) => ({ day: f.day, amount: divide(f.amount, options.scale, 1n, 0, q) }))
    : flows;
  const unitScale = rounded ? q : options.scale;
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
  let rate = BigInt(Math.round(candidate * 1e15)) * pow10(S - 15);
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

/** The IRR of `flows` (any order), rates at RATE_WORK_SCALE. */
export function xirr(input: readonly CashFlow[], options: XirrOptions): IrrResult {
  const flows = input.filter((f) => f.amount !== 0n).sort((a, b) => a.day - b.day);
  const hasIn = flows.some((f) => f.amount < 0n);
  const hasOut = flows.some((f) => f.amount > 0n);
  if (!hasIn || !hasOut) return { status: 'none', reason: 'one-sign' };
  // Floating point for the search only: amounts scaled by the largest, so nothing overflows.
  let max = 0n;
  for (const f of flows) {
    const m = f.amount < 0n ? -f.amount : f.amount;
    if (m > max) max = m;
  }
  const t0 = flows[0]!.day;
  const compact: Compact = {
    t: Float64Array.from(flows, (f) => f.day - t0),
    a: Float64Array.from(flows, (f) => Number((f.amount * 1_000_000_000_000n) / max) / 1e12),
  };
  const candidates: number[] = [];
  // The grid is walked by multiplying each flow's discount factor by its per-step factor, one product per
  // flow and grid point instead of an exponential.
  const n = compact.t.length;
  const current = new Float64Array(n);
  const stepFactor = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const y = compact.t[i]! / DAYS_PER_YEAR;
    current[i] = Math.exp(-GRID_LOW * y);
    stepFactor[i] = Math.exp(-GRID_STEP * y);
  }
  const points = Math.round((GRID_HIGH - GRID_LOW) / GRID_STEP);
  let prevX = GRID_LOW;
  let prevF = Number.NaN;
  for (let k = 0; k <= points; k++) {
    const x = GRID_LOW + k * GRID_STEP;
    let f = 0;
    for (let i = 0; i < n; i++) {
      f += compact.a[i]! * current[i]!;
      current[i]! *= stepFactor[i]!;
    }
    if (!Number.isFinite(f)) f = npvX(compact, x)[0];
    if (f === 0) candidates.push(x);
    else if (
      k > 0 &&
      prevF !== 0 &&
      Number.isFinite(f) &&
      Number.isFinite(prevF) &&
      Math.sign(f) !== Math.sign(prevF)
    ) {
      candidates.push(rtsafe(compact, prevX, x));
    }
    prevX = x;
    prevF = f;
  }
  if (candidates.length === 0) return { status: 'none', reason: 'no-root' };
  const roots: bigint[] = [];
  for (const x of candidates) {
    const r = verify(flows, Math.expm1(x), options);
    if (r !== null && !roots.includes(r)) roots.push(r);
  }
  roots.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (roots.length === 0) return { status: 'none', reason: 'unverified' };
  if (roots.length === 1) return { status: 'unique', rate: roots[0]! };
  return { status: 'multiple', rates: roots };
}
