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

/** An instrument's price as the index has it (null: none). */
export interface Quote {
  readonly price: bigint;
  readonly previousClose: bigint | null;
}

/**
 * How far prices drifted since an owner's totals were last read, kept from the events the index
 * applies (each reported once it is in the index: `priceMoved`, `ownerMoved`, `ratesMoved`). An owner
 * whose totals were read at a reading, with no liability among its holdings, has totals that moved
 * since by at most `drift` × their value then (every holding's value is quantity × price × rate, all
 * positive), so a rule whose quiet band reaches that far on both sides of the value read need not be
 * read again. What moves totals otherwise — a ledger write, a rate, a new previous close (the day's
 * open), an instrument priced for the first time — marks the owners it moves instead (`moved`), to be
 * read again. At most one reading per READING_GAP_MS: totals read in the meantime are counted from the
 * last one (roomSince). A reading lasts `keepMs` (the longest an owner relies on one) past the gap.
 */
export class PriceDrift {
  /** The instruments seen, numbered in the order they were first seen. */
  private readonly numbers = new Map<string, number>();
  /** By number: the price and previous close last seen. */
  private readonly known: { price: bigint | null; previousClose: bigint | null }[] = [];
  private readings: Reading[] = [];
  /** Per owner, the numbers of the instruments it holds among those seen moving (see beginBatch). */
  private readonly heldBy = new Map<string, number[]>();
  /** The holders lists heldBy was derived from. */
  private readonly heldFrom = new Map<string, readonly string[]>();
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
      // No earlier price to measure from (the first one seen here): its holders are read again.
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
   * The largest move since the reading of a price of an instrument the owner holds now (an owner whose
   * holdings changed since was marked moved). Instruments never seen moving are left out: they have not
   * moved. Call `beginBatch` first.
   */
  ownerDrift(ownerId: string, reading: Reading): number {
    const held = this.heldBy.get(ownerId);
    if (held === undefined) return 0;
    const { moves } = reading;
    let drift = 0;
    for (let i = 0; i < held.length; i++) {
      const move = moves[held[i]!];
      if (move !== undefined && move > drift) drift = move;
    }
    return drift;
  }

  /**
   * Brings the instruments each owner holds up to the index's holders: derived again when an instrument
   * was first seen or a holders list changed (a ledger write gives new lists), once a batch.
   */
  beginBatch(): void {
    let stale = this.heldFrom.size !== this.known.length;
    if (!stale) {
      for (const [instrumentId, holders] of this.heldFrom) {
        if (this.holders(instrumentId) !== holders) {
          stale = true;
          break;
        }
      }
    }
    if (!stale) return;
    this.heldBy.clear();
    this.heldFrom.clear();
    for (const [instrumentId, n] of this.numbers) {
      const holders = this.holders(instrumentId);
      this.heldFrom.set(instrumentId, holders);
      for (const ownerId of holders) {
        let held = this.heldBy.get(ownerId);
        if (!held) {
          held = [];
          this.heldBy.set(ownerId, held);
        }
        held.push(n);
      }
    }
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
   * The room, counted from the reading, of totals read now with `room` of their own. A batch yields
   * between owners, and prices moved meanwhile are in the totals read after: a price gone from 100 at
   * the reading to 99 when read, then to 101, moved 1 % from the reading but 2 % from those totals. With
   * the owner's instruments moved by at most m since the reading, totals move by at most
   * (M + m) / (1 − m) of their value while the reading's moves stay under M; so they keep inside their
   * room r while M < r − m (1 + r): that is their room on the reading (rounded down; 0 when none). Call
   * `beginBatch` first.
   */
  roomSince(reading: Reading, ownerId: string, room: number): number {
    if (reading.drift === 0) return room;
    const moved = this.ownerDrift(ownerId, reading);
    if (moved === 0) return room;
    if (moved === Number.POSITIVE_INFINITY) return 0;
    const left = BigInt(room) * RATIO_ONE_N - BigInt(moved) * (RATIO_ONE_N + BigInt(room));
    return left <= 0n ? 0 : Number(left / RATIO_ONE_N);
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
