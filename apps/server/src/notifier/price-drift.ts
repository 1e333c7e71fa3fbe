/**
 * Relative sizes (a move of a price, a slack of a value) in parts of RATIO_ONE: exact integers, kept as
 * numbers because they are compared for every watched owner at every batch. 10^12 is far below 2^53,
 * and a ratio of one (a move of 100 %) or more is counted as unbounded.
 */
export const RATIO_ONE = 1_000_000_000_000;
const RATIO_ONE_N = BigInt(RATIO_ONE);
/**
 * Least time between two readings (see PriceDrift.readingNow): every price event moves every reading
 * kept, and readings are kept for a minute, so a reading per second rather than one per batch.
 */
export const READING_GAP_MS = 1_000;
/**
 * A weighted move (weightedMove) is a sum of products of two integers (a weight up to 2 × 10^12, a move
 * under 10^12, or Infinity) in binary floats: each product and each addition rounds to nearest, off by
 * at most 2^-53 of the sum per term. Scaled up by 2^-30, the sum of fewer than 2^20 terms (an owner holds
 * far fewer instruments) is never below the exact one, so the owner is read whenever the exact bound
 * reaches its room.
 */
const ROUND_UP = 1 + 2 ** -30;
/** And scaled down by as much where a bound is to be taken for less (WeightedRoom.bar). */
const ROUND_DOWN = 1 - 2 ** -30;

/** |to − from| / from in parts of RATIO_ONE, rounded up; Infinity from no price, or for a move of 100 % or more. */
export function relativeMove(from: bigint, to: bigint): number {
  if (from <= 0n) return Number.POSITIVE_INFINITY;
  const d = to >= from ? to - from : from - to;
  const r = (d * RATIO_ONE_N + from - 1n) / from;
  return r >= RATIO_ONE_N ? Number.POSITIVE_INFINITY : Number(r);
}

/** slack / gross in parts of RATIO_ONE, rounded down and at most RATIO_ONE (slack null: unbounded). */
export function relativeSlack(slack: bigint | null, gross: bigint): number {
  if (slack === null || gross <= 0n) return RATIO_ONE;
  const r = (slack * RATIO_ONE_N) / gross;
  return r >= RATIO_ONE_N ? RATIO_ONE : Number(r);
}

/**
 * The totals read at one time: since then every price moved by at most `drift` of the price it had
 * then (in parts of RATIO_ONE). Only prices are counted: rates, holdings and previous closes void the
 * readings instead (see PriceDrift).
 */
export interface Reading {
  drift: number;
  /** The clock when taken: a reading is dropped once no owner can still rely on it. */
  readonly atMs: number;
  /**
   * By instrument (PriceDrift's numbering; arrays, not maps: every price event visits every reading,
   * and every batch an owner's instruments): the price at that time of those that moved since (the
   * others are still where they were), the highest and lowest since, and the largest move (`drift` is
   * the largest of these). A move is that of the extreme farther from the price then, so it is
   * measured again only when a price goes past one of them.
   */
  readonly from: bigint[];
  readonly high: bigint[];
  readonly low: bigint[];
  readonly moves: number[];
}

/**
 * What an owner's totals read against a reading may rely on (see PriceDrift.roomSince): the instruments
 * it holds (PriceDrift's numbers) and their weights, and its room. Until Σ weights[k] × moves[held[k]] of
 * the reading (in parts of RATIO_ONE²) reaches `slack` × RATIO_ONE, every rule of the owner stays in its
 * quiet band. `bar` is that room over the weights' sum, a little less: while the reading's largest move
 * of any price stays under it, so does the sum, and nothing is added up.
 */
export interface WeightedRoom {
  readonly held: readonly number[];
  readonly weights: readonly number[];
  readonly slack: number;
  readonly bar: number;
}

/** No room: the owner is read at every batch. */
export const NO_ROOM: WeightedRoom = { held: [], weights: [], slack: 0, bar: 0 };

/** An instrument's price as the index has it (null: none). */
export interface Quote {
  readonly price: bigint;
  readonly previousClose: bigint | null;
}

/**
 * How far prices drifted since an owner's totals were last read, kept from the events the index
 * applies (each reported once it is in the index: `priceMoved`, `ownerMoved`, `ratesMoved`). An owner
 * whose totals were read at a reading, with no liability among its holdings, has totals that moved
 * since by at most Σ w_i × move_i of their value then, w_i being holding i's share of that value (every
 * holding's value is quantity × price × rate, all positive, and only prices moved): so a rule whose
 * quiet band reaches that far on both sides of the value read need not be read again. What moves totals
 * otherwise — a ledger write, a rate, a new previous close (the day's open), an instrument priced for the
 * first time here — marks the owners it moves instead (`moved`), to be read again. An instrument is
 * first seen either moving (`priceMoved`: its holders read again) or in totals read (`track`: its price
 * then is the index's, the one those totals were read against, and a later price is an ordinary move).
 * At most one reading per READING_GAP_MS: totals read in the meantime are counted from the last one
 * (roomSince). A reading lasts `keepMs` (the longest an owner relies on one) past the gap.
 */
export class PriceDrift {
  /** The instruments seen, numbered in the order they were first seen. */
  private readonly numbers = new Map<string, number>();
  /** By number: the price and previous close last seen. */
  private readonly known: { price: bigint | null; previousClose: bigint | null }[] = [];
  private readings: Reading[] = [];
  private current: Reading | undefined;
  /** Owners whose totals moved other than by prices since their last read: read them again. */
  readonly moved = new Set<string>();
  /** Instruments whose price moved since the notifier last took them (their own rules are decided again). */
  readonly instruments = new Set<string>();
  /** A rate moved: every owner's totals are to be read again. */
  everyone = false;
  /** Holdings changed somewhere: which instruments are liabilities is to be looked at again. */
  holdingsChanged = false;

  constructor(
    private readonly quote: (instrumentId: string) => Quote | undefined,
    private readonly holders: (instrumentId: string) => readonly string[],
    private readonly keepMs: number,
  ) {}

  /**
   * The instrument's number, for totals read now that include its price: an instrument not seen yet is
   * taken at the index's price now, the one those totals were read against (the index reports every
   * move after this one), so its next price is a move from it. No holder is marked: totals read before
   * were read at the same price, as none came since this notifier began following the index.
   */
  track(instrumentId: string): number {
    const n = this.numbers.get(instrumentId);
    if (n !== undefined) return n;
    const q = this.quote(instrumentId);
    this.numbers.set(instrumentId, this.known.length);
    this.known.push({ price: q?.price ?? null, previousClose: q?.previousClose ?? null });
    return this.known.length - 1;
  }

  /** The index has a new price (or the same) for the instrument. */
  priceMoved(instrumentId: string): void {
    const q = this.quote(instrumentId);
    const price = q?.price ?? null;
    const previousClose = q?.previousClose ?? null;
    const n = this.numbers.get(instrumentId);
    if (n === undefined) {
      this.numbers.set(instrumentId, this.known.length);
      this.known.push({ price, previousClose });
      this.instruments.add(instrumentId);
      // No earlier price to measure from (none seen here, none in totals read): its holders are read again.
      for (const ownerId of this.holders(instrumentId)) this.moved.add(ownerId);
      return;
    }
    const known = this.known[n]!;
    const wasPrice = known.price;
    const wasClose = known.previousClose;
    if (wasPrice === price && wasClose === previousClose) return;
    known.price = price;
    known.previousClose = previousClose;
    this.instruments.add(instrumentId);
    if (wasPrice === null || price === null || wasClose !== previousClose) {
      // No earlier price to measure from, or the day's open moved with it: its holders are read again.
      for (const ownerId of this.holders(instrumentId)) this.moved.add(ownerId);
      return;
    }
    for (const reading of this.readings) {
      let from = reading.from[n];
      if (from === undefined) {
        // The first move since the reading: the price it had then is the one known until now.
        from = wasPrice;
        reading.from[n] = from;
        reading.high[n] = from;
        reading.low[n] = from;
      }
      // Only a price past the extremes since the reading can move it further from the price then.
      if (price > reading.high[n]!) reading.high[n] = price;
      else if (price < reading.low[n]!) reading.low[n] = price;
      else continue;
      const drift = relativeMove(from, price);
      if (drift > (reading.moves[n] ?? 0)) {
        reading.moves[n] = drift;
        if (drift > reading.drift) reading.drift = drift;
      }
    }
  }

  /**
   * The bound on the relative move of an owner's totals since their read (see roomSince), in parts of
   * RATIO_ONE: Σ weights[k] × the reading's move of instrument held[k], never below the exact sum
   * (ROUND_UP). Instruments not seen moving since the reading have not moved. Plain numbers over two
   * arrays: it runs for every owner whose bar the reading passed, at every batch.
   */
  weightedMove(room: WeightedRoom, reading: Reading): number {
    const { moves } = reading;
    const { held, weights } = room;
    let sum = 0;
    for (let k = 0; k < held.length; k++) {
      const move = moves[held[k]!];
      if (move !== undefined) sum += weights[k]! * move;
    }
    return (sum / RATIO_ONE) * ROUND_UP;
  }

  ownerMoved(ownerId: string): void {
    this.moved.add(ownerId);
    this.holdingsChanged = true;
  }

  ratesMoved(): void {
    this.everyone = true;
  }

  /**
   * The reading the totals read now are counted from (with roomSince): the batch's, made when first
   * asked, or the last one when it is younger than READING_GAP_MS (every price event moves every
   * reading kept: many small batches must not make many readings).
   */
  readingNow(nowMs: number): Reading {
    if (!this.current) {
      const last = this.readings[this.readings.length - 1];
      if (last && nowMs - last.atMs < READING_GAP_MS) this.current = last;
      else {
        this.current = { drift: 0, atMs: nowMs, from: [], high: [], low: [], moves: [] };
        this.readings.push(this.current);
      }
    }
    return this.current;
  }

  /**
   * What totals read now, with `room` of their own, may rely on, counted from the reading: `held` the
   * numbers of the instruments they hold (`track`), `shares` each one's share of their value (parts of
   * RATIO_ONE, rounded up, at least 1), `prices` the prices they were read at. A batch yields between
   * owners, and prices moved meanwhile are in the totals read after: a price gone from 100 at the
   * reading to 99 when read, then to 101, moved 1 % from the reading but 2 % from those totals.
   *
   * With c_i the quantity × rate of holding i (fixed while holdings and rates are), p_i its price at the
   * reading, p'_i when read (|p'_i − p_i| ≤ m_i p_i, m_i its move so far) and p"_i later (≤ M_i p_i from
   * it, the reading's move then): the totals read, V' = Σ c_i p'_i, move later by
   *   |Σ c_i (p"_i − p'_i)| ≤ Σ c_i p_i (M_i + m_i) ≤ Σ c_i p'_i (M_i + m_i) / (1 − m_i)
   *                        = V' Σ w'_i (M_i + m_i),   with w'_i = w_i / (1 − m_i), w_i = c_i p'_i / V'.
   * So they stay inside their room r while Σ w'_i M_i < r − Σ w'_i m_i: the weights are w'_i (rounded
   * up) and the room on the reading r − Σ w'_i m_i (rounded down; 0 when none). With one holding it is
   * the unweighted (M + m)/(1 − m) < r, i.e. M < r − m(1 + r). A move of half the price or more since the
   * reading leaves no room (w'_i would be past what a number holds exactly): read at every batch.
   *
   * m_i is the reading's move so far, or more: the index may hold a price not reported yet (a replica's
   * own price, in the index before the relay hands it on). The totals were read at that price, and its
   * move will be counted from the price before it, so m_i is at least the move from that price (the
   * reading's, or the last reported) to the one read; a price read where none was reported, or none
   * read where one was, leaves no room (its holders are read again once it is reported).
   */
  roomSince(
    reading: Reading,
    held: readonly number[],
    shares: readonly number[],
    prices: readonly (bigint | null)[],
    room: number,
  ): WeightedRoom {
    if (room <= 0) return NO_ROOM;
    const { moves } = reading;
    let copy: number[] | undefined;
    let used = 0n;
    for (let k = 0; k < held.length; k++) {
      const n = held[k]!;
      let move = moves[n] ?? 0;
      const read = prices[k] ?? null;
      const known = this.known[n]!.price;
      if (read !== known) {
        if (read === null || known === null) return NO_ROOM;
        const unreported = relativeMove(reading.from[n] ?? known, read);
        if (unreported > move) move = unreported;
      }
      if (move === 0) continue;
      if (move >= RATIO_ONE / 2) return NO_ROOM;
      copy ??= shares.slice();
      const m = BigInt(move);
      const w = (BigInt(shares[k]!) * RATIO_ONE_N + RATIO_ONE_N - m - 1n) / (RATIO_ONE_N - m);
      copy[k] = Number(w);
      used += w * m;
    }
    const left = BigInt(room) * RATIO_ONE_N - used;
    if (left <= 0n) return NO_ROOM;
    const slack = Number(left / RATIO_ONE_N);
    if (slack === 0) return NO_ROOM;
    const weights = copy ?? shares;
    let total = 0;
    for (let k = 0; k < weights.length; k++) total += weights[k]!;
    // Σ w'_i M_i ≤ (the reading's largest move) × Σ w'_i: under slack / Σ w'_i, the sum is under slack.
    const bar = total === 0 ? Number.POSITIVE_INFINITY : ((slack * RATIO_ONE) / total) * ROUND_DOWN;
    return { held, weights, slack, bar };
  }

  /**
   * Ends the batch's reading; drops readings older than `keepMs` and the gap (an owner relies on a
   * reading at most READING_GAP_MS older than its read, for at most `keepMs` after the read: it is read
   * again by then, so none relies on them).
   */
  endBatch(nowMs: number): void {
    this.current = undefined;
    const keep = this.keepMs + READING_GAP_MS;
    if (this.readings.length > 0 && this.readings[0]!.atMs + keep < nowMs) {
      this.readings = this.readings.filter((r) => r.atMs + keep >= nowMs);
    }
  }
}
