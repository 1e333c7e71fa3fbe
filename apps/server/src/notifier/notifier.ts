import { setImmediate, setTimeout as sleep } from 'node:timers/promises';
import {
  type LoggedEvent,
  type NotificationCreatedEvent,
  type NotifierDelivery,
  type NotifierEventSource,
  notificationSubject,
  type PortfolioEventLog,
  portfolioSubjectTopic,
} from '@tickfolio/bus';
import { formatDecimal, PRICE_SCALE, parseDecimal, type TotalsChange } from '@tickfolio/core';
import {
  advisorClients,
  alerts,
  atomically,
  type Db,
  holdings,
  instruments,
  notifications,
  users,
  webhooks,
} from '@tickfolio/db';
import type { Logger } from '@tickfolio/process';
import { BatchExtremes } from './batch-extremes';
import { decideCrossing, METRIC_SCALE } from './crossing';
import { HoldingShares } from './holding-shares';
import { notificationText } from './notification-text';
import type { NotifierIndex } from './notifier-index';
import { NO_ROOM, PriceDrift, RATIO_ONE, type Reading, relativeSlack } from './price-drift';
import { bandSlack, inQuietBand, quietBand } from './quiet-band';
import { gridOffset, nextGridRead, READ_LATEST_MS, windowReadLatestMs } from './read-grid';
import { type BookedRule, type OwnerRules, RuleBook, TOTALS_KINDS } from './rule-book';
import { type MetricInputs, ruleMetric, windowKey } from './rule-metrics';
import { ValueWindows } from './value-windows';
import type { WebhookSender } from './webhook-sender';

export interface NotifierSettings {
  /** How often rules changed elsewhere (another replica's API, a rule fired there) are read again. */
  readonly rulesPollMs: number;
  /** How often every rule is read again (rules deleted elsewhere go). */
  readonly rulesReloadMs: number;
  /** How often staleness rules are checked without an event (a price that stopped coming sends none). */
  readonly staleSweepMs: number;
  /**
   * Least time between the starts of two batch evaluations while the notifier keeps up: events arriving
   * meanwhile wait and are evaluated together, so its share of the thread stays bounded as ticks come
   * faster. A full batch (the source's maxBatch) is evaluated at once: more had gathered than a batch
   * takes, and waiting would only let a backlog grow.
   */
  readonly batchIntervalMs: number;
}

export interface NotifierDeps {
  readonly db: Db;
  readonly source: NotifierEventSource;
  /** PORTFOLIO, where each stored notification is announced to every replica's live relay. */
  readonly events: PortfolioEventLog;
  readonly index: NotifierIndex;
  readonly sender: WebhookSender;
  readonly settings: NotifierSettings;
  readonly now: () => Date;
  readonly log: Logger;
}

export interface Notifier {
  start(): Promise<void>;
  /** Rules changed here (the API): read them at once instead of at the next poll. */
  rulesChanged(): void;
  stop(): Promise<void>;
}

/** A poll looks this far behind its last one: replicas' clocks that set updated_at may be a little apart. */
const POLL_OVERLAP_MS = 5_000;
/** Kinds about one instrument: their notifications name its symbol. */
const INSTRUMENT_KINDS: ReadonlySet<alerts.AlertKind> = new Set([
  'price_move',
  'price_stale',
  'unrealized_loss',
]);
/** Kinds whose metric moves one way with their instrument's price: decided on the batch's extreme prices too. */
const PRICE_KINDS: ReadonlySet<alerts.AlertKind> = new Set(['price_move', 'unrealized_loss']);
/** Rules decided between two yields to the event loop. */
const YIELD_EVERY = 500;
/** Rules checked against their quiet bands between two yields (a check is a read of totals at most). */
const QUIET_YIELD_EVERY = 2_000;
/** Redelivery delay of a batch whose evaluation failed (the database was away). */
const RETRY_MS = 2_000;

/**
 * The totals rules read, in turn: a portfolio's once for all of its owner's rules (rules come grouped
 * by owner), an account's per rule; with `open`, the value at the day's open of the totals last read
 * (their value less their day change).
 */
class TotalsReads {
  private ownerId: string | undefined;
  private portfolio: TotalsChange | undefined;
  private portfolioOpen = 0n;
  open = 0n;

  constructor(private readonly index: NotifierIndex) {}

  of(rule: alerts.AlertRule): TotalsChange | undefined {
    if (rule.accountId === null) {
      if (this.ownerId !== rule.ownerId) {
        this.ownerId = rule.ownerId;
        this.portfolio = this.index.totals(rule.ownerId, null);
        this.portfolioOpen =
          this.portfolio === undefined ? 0n : this.portfolio.marketValue - this.portfolio.dayChange;
      }
      this.open = this.portfolioOpen;
      return this.portfolio;
    }
    const t = this.index.totals(rule.ownerId, rule.accountId);
    this.open = t === undefined ? 0n : t.marketValue - t.dayChange;
    return t;
  }
}

/**
 * The notifier: evaluates the alert rules on every revaluation event of its durable PORTFOLIO consumer.
 * Each event first moves the valuation index (idempotently), then the rules it can move are read
 * against the index and decided as crossings (crossing.ts). A firing is recorded in one transaction:
 * the rule disarmed and its crossing counted only if the database still has the state the decision saw
 * (so of replicas and redeliveries deciding the same crossing, one records it), the notification stored
 * under the rule-and-crossing key (unique), and a webhook delivery when the user has a webhook. Then the
 * notification is announced on PORTFOLIO for live subscribers, and the delivery sent.
 */
export function createNotifier(deps: NotifierDeps): Notifier {
  const { db, index, settings, now, log } = deps;
  const book = new RuleBook();
  const windows = new ValueWindows();
  /** Owner → instrument → their quantity and cost over open accounts (unrealized-loss rules only). */
  const positions = new Map<string, Map<string, { quantity: bigint; cost: bigint }>>();
  /** How far prices drifted since owners' totals were read, from the events that moved the index. */
  const drift = new PriceDrift(
    (id) => index.price(id),
    (id) => index.ownersHolding(id),
    READ_LATEST_MS,
  );
  /** Each instrument's share of an owner's totals when read (scratch, reused from owner to owner). */
  const shares = new HoldingShares(
    (id) => drift.track(id),
    (ownerId, accountId, visit) => index.holdingValues(ownerId, accountId, visit),
  );
  /**
   * The sequences the relay handed on, first and last: it applies the log's events in order, so those
   * from its first to its last are in the index and noted already (the ones it did not hand on were no
   * news: an older price).
   */
  const relayed = { from: Number.POSITIVE_INFINITY, to: 0 };
  /** Every event that moved the index, whoever applied it; undefined: every owner is read at every batch. */
  const unfollow = index.follow?.((logged) => {
    if (logged.seq < relayed.from) relayed.from = logged.seq;
    if (logged.seq > relayed.to) relayed.to = logged.seq;
    noteMove(logged);
  });
  /** Liabilities: their holders' totals are read at every batch (see ownersDue). */
  let liabilityIds: readonly string[] | undefined;
  const stopping = new AbortController();
  const timers: NodeJS.Timeout[] = [];
  let running: Promise<void> | undefined;
  let lastPoll = new Date(0);
  /** Evaluations (batches, sweeps) and rule reads take turns, so a rule is decided on one state at a time. */
  let turn: Promise<unknown> = Promise.resolve();
  const inTurn = <T>(work: () => Promise<T>): Promise<T> => {
    const next = turn.then(work, work);
    turn = next.catch(() => {});
    return next;
  };

  const inputs = (nowMs: number): MetricInputs => ({
    totals: (ownerId, accountId) => index.totals(ownerId, accountId),
    price: (instrumentId) => index.price(instrumentId),
    holding: (ownerId, instrumentId) => positions.get(ownerId)?.get(instrumentId),
    valueWindowStart: (key, windowMs) => windows.startOf(key, nowMs, windowMs),
  });

  async function loadPositions(ownerId: string): Promise<void> {
    const byInstrument = new Map<string, { quantity: bigint; cost: bigint }>();
    for (const h of await holdings.listHoldingsByOwner(db, ownerId)) {
      const known = byInstrument.get(h.instrumentId) ?? { quantity: 0n, cost: 0n };
      byInstrument.set(h.instrumentId, {
        quantity: known.quantity + h.quantity,
        cost: known.cost + h.costBasis,
      });
    }
    positions.set(ownerId, byInstrument);
  }

  /**
   * Reads the rules again: all of them, or those changed since the last look. A changed rule is
   * evaluated at once: another replica may have re-armed it while this one evaluated the events that
   * took the value past its threshold again (on a stale copy, which held), and no later event may come.
   */
  async function pollRules(full: boolean): Promise<void> {
    const started = now();
    if (full) book.replaceAll(await alerts.listAlertRules(db, { activeOnly: true }));
    else {
      const since = new Date(lastPoll.getTime() - POLL_OVERLAP_MS);
      const changed: BookedRule[] = [];
      for (const rule of await alerts.listAlertRulesChangedSince(db, since)) {
        const booked = book.put(rule);
        if (booked) changed.push(booked);
      }
      await evaluate(changed);
    }
    lastPoll = started;
  }

  /** Reads a rule again after the database refused a decision on it (it moved on elsewhere). */
  async function reread(booked: BookedRule): Promise<void> {
    const rule = await alerts.getAlertRule(db, booked.rule.id);
    if (rule) book.put(rule);
    else book.remove(booked.rule.id);
  }

  async function subjectOf(booked: BookedRule): Promise<string> {
    const { rule } = booked;
    if (rule.instrumentId !== null && INSTRUMENT_KINDS.has(rule.kind)) {
      const instrument = await instruments.findInstrumentById(db, rule.instrumentId);
      return instrument?.symbol ?? 'An instrument';
    }
    return rule.accountId === null ? 'Portfolio' : 'Account';
  }

  /**
   * Whether the rule's user may still watch the portfolio: an advisor whose client was unassigned, or
   * a disabled user, is told nothing more about it.
   */
  async function mayWatch(rule: alerts.AlertRule): Promise<boolean> {
    const user = await users.findUserById(db, rule.userId);
    if (!user || user.disabledAt !== null) return false;
    if (rule.userId === rule.ownerId || user.role === 'admin') return true;
    return user.role === 'advisor' && advisorClients.isClientOf(db, rule.userId, rule.ownerId);
  }

  /** Records a firing; false when the database refused it (the rule was read again). */
  async function fire(booked: BookedRule, metric: bigint, atMs: number): Promise<boolean> {
    const { rule } = booked;
    if (!(await mayWatch(rule))) return true;
    const at = new Date(atMs);
    const message = notificationText(rule, metric, await subjectOf(booked));
    const payload = {
      metric: formatDecimal(metric, METRIC_SCALE),
      threshold: rule.threshold,
      direction: rule.direction,
      instrumentId: rule.instrumentId,
      accountId: rule.accountId,
      currency: rule.currency,
      windowSeconds: rule.windowSeconds,
    };
    const recorded = await atomically(db, async (trx) => {
      const seen = { id: rule.id, version: rule.version, crossings: booked.state.crossings };
      const crossing = await alerts.fireAlertRule(trx, seen, at, rule.cooldownSeconds);
      if (crossing === undefined) return undefined;
      const stored = await notifications.createNotification(trx, {
        userId: rule.userId,
        ownerId: rule.ownerId,
        ruleId: rule.id,
        kind: rule.kind,
        message,
        payload: { ...payload, crossing },
        dedupKey: `${rule.id}:${crossing}`,
        createdAt: at,
      });
      if (!stored) return undefined;
      const hook = await webhooks.findWebhook(trx, rule.userId);
      const delivery =
        hook &&
        (await webhooks.createDelivery(trx, {
          notificationId: stored.id,
          userId: rule.userId,
          url: hook.url,
          leaseUntil: new Date(atMs + deps.sender.leaseMs()),
        }));
      return { crossing, stored, delivery };
    });
    if (!recorded) {
      await reread(booked);
      return false;
    }
    book.setState(booked, { armed: false, crossings: recorded.crossing, lastFiredAtMs: atMs });
    const n = recorded.stored;
    const event: NotificationCreatedEvent = {
      type: 'notification.created',
      notificationId: n.id,
      userId: n.userId,
      ownerId: n.ownerId,
      ruleId: n.ruleId,
      kind: n.kind,
      message: n.message,
      payload: n.payload as Record<string, unknown>,
      asOf: n.createdAt,
    };
    // The inbox has it whatever happens here: a subscriber that misses the announcement finds it in
    // notifications.list.
    await deps.events
      .publish(notificationSubject(n.userId), event, `notification:${n.id}`)
      .catch((err: unknown) => log.warn({ err, notificationId: n.id }, 'notification not announced'));
    if (recorded.delivery) deps.sender.send(recorded.delivery, n);
    return true;
  }

  /** Records a re-arming; false when the database refused it (the rule was read again). */
  async function rearm(booked: BookedRule): Promise<boolean> {
    const { rule } = booked;
    const seen = { id: rule.id, version: rule.version, crossings: booked.state.crossings };
    if (await alerts.rearmAlertRule(db, seen)) {
      book.setState(booked, { ...booked.state, armed: true });
      return true;
    }
    await reread(booked);
    return false;
  }

  /**
   * Decides a rule on its readings, in order (the batch's extreme prices, then the current value);
   * whether its copy is doubtful: disarmed while a reading is past the threshold out of the cooldown.
   * Another replica may have re-armed it since this copy was read (it saw the value go back past the
   * band), and holding on the copy would miss the crossing until the next rules poll.
   */
  async function decide(
    id: string,
    readings: readonly (bigint | undefined)[],
    nowMs: number,
  ): Promise<boolean> {
    let doubtful = false;
    for (const metric of readings) {
      // A write the database refused read the rule again: the reading is decided again on that copy
      // (once), or a copy that still said armed after a firing elsewhere would hold a re-arming or a
      // second crossing.
      for (let attempt = 0; attempt < 2; attempt++) {
        const booked = book.get(id);
        if (!booked) return false;
        const decision = decideCrossing(booked.crossing, booked.state, metric, nowMs);
        if (decision === 'fire' && metric !== undefined) {
          if (await fire(booked, metric, nowMs)) break;
        } else if (decision === 'rearm') {
          if (await rearm(booked)) break;
        } else {
          if (!booked.state.armed) {
            const armed = { ...booked.state, armed: true };
            doubtful ||= decideCrossing(booked.crossing, armed, metric, nowMs) === 'fire';
          }
          break;
        }
      }
    }
    const after = book.get(id);
    return doubtful && after !== undefined && !after.state.armed;
  }

  /**
   * The metric readings a rule is decided on, in order: at each extreme price its instrument reached
   * within the batch (price moves and losses move one way with the price), then now.
   */
  function readingsOf(
    rule: alerts.AlertRule,
    read: MetricInputs,
    prices: BatchExtremes | undefined,
    nowMs: number,
  ) {
    const readings: (bigint | undefined)[] = [];
    const extremes =
      rule.instrumentId !== null && PRICE_KINDS.has(rule.kind) ? prices?.of(rule.instrumentId) : undefined;
    for (const price of extremes ?? []) {
      const at: MetricInputs = {
        ...read,
        price: (instrumentId) => {
          const p = read.price(instrumentId);
          return p && { ...p, price };
        },
      };
      readings.push(ruleMetric(rule, at, nowMs));
    }
    const current = ruleMetric(rule, read, nowMs);
    if (readings[readings.length - 1] !== current) readings.push(current);
    return readings;
  }

  /**
   * Whether a rule on totals would decide nothing on reading `t` now: its value inside its quiet band
   * (quiet-band.ts), derived again when its state or the base of its move changed or its cooldown
   * ended. `open` is the value
   * at the day's open (`t`'s value less its day change), read once for all of an owner's rules.
   */
  function quietAt(booked: BookedRule, t: TotalsChange, open: bigint, nowMs: number): boolean {
    const { rule } = booked;
    let from: bigint | undefined;
    if (rule.kind === 'portfolio_move') {
      if (rule.windowSeconds === null) from = open;
      else {
        booked.window ??= windows.seriesOf(windowKey(rule));
        const windowMs = rule.windowSeconds * 1000;
        windows.record(booked.window, nowMs, t.marketValue, windowMs);
        from = windows.startOf(booked.window, nowMs, windowMs);
      }
    }
    let band = booked.band;
    if (band === undefined || band.state !== booked.state || band.from !== from || nowMs >= band.untilMs) {
      band = quietBand(rule, booked.crossing, booked.state, from, nowMs);
      booked.band = band;
    }
    return inQuietBand(band, t.marketValue);
  }

  /**
   * Adds to `candidates` the rules on totals that would decide something now (those outside their
   * quiet bands), reading each portfolio's or account's totals once. Synchronous: the index does not
   * move while an owner's rules are checked. Some of an owner's rules only (a poll, a sweep): their
   * owners are read whole at the next batch.
   */
  function checkTotalsRules(rules: readonly BookedRule[], nowMs: number, candidates: BookedRule[]): void {
    const reads = new TotalsReads(index);
    for (let i = 0; i < rules.length; i++) {
      const booked = rules[i]!;
      const { rule } = booked;
      const t = reads.of(rule);
      // No totals: nothing to read, the rule holds.
      if (t !== undefined && !quietAt(booked, t, reads.open, nowMs)) candidates.push(booked);
      const entry = book.ofOwner(rule.ownerId);
      if (entry) entry.basis = undefined;
    }
  }

  /**
   * The room a rule on a move within a window keeps until `untilMs` at `value` (which is inside its
   * current band, with `room`): the window's start moves on meanwhile as its oldest samples fall out,
   * and the value must be quiet against each start it takes. The least room over those starts, and the
   * time the first start the value is not quiet against takes over (the owner is read then), else
   * `untilMs`. The starts are samples taken by now: one taken later is newer than the window's start
   * can be before `untilMs` (a window is longer than the time to the next read).
   */
  function windowRoom(
    booked: BookedRule,
    value: bigint,
    room: number,
    nowMs: number,
    untilMs: number,
  ): { room: number; untilMs: number } {
    const { rule } = booked;
    for (const start of windows.laterStarts(booked.window!, nowMs, untilMs, rule.windowSeconds! * 1000)) {
      const band = quietBand(rule, booked.crossing, booked.state, start.value, nowMs);
      if (start.fromMs > untilMs) break;
      if (!inQuietBand(band, value)) return { room, untilMs: start.fromMs };
      // A band that holds only until a cooldown's end: read again then.
      if (band.untilMs < untilMs) untilMs = band.untilMs;
      const later = relativeSlack(bandSlack(band, value), value);
      if (later < room) room = later;
    }
    return { room, untilMs };
  }

  /**
   * Reads an owner's totals for all their rules on totals, adding to `candidates` those outside their
   * quiet bands, and keeps why the others need not be read again for a while: the least room any of
   * them has in its band, relative to the value read, and each instrument's share of the totals read
   * (the moves of its price are weighted by it), until the next read on its grid (OwnerBasis). An owner
   * holding a liability, or with a rule outside its band, has none: it is read at every batch.
   */
  function readOwner(
    entry: OwnerRules,
    nowMs: number,
    candidates: BookedRule[],
    liable: ReadonlySet<string>,
  ): void {
    let slack = liable.has(entry.ownerId) ? 0 : RATIO_ONE;
    // At the latest on the owner's grid: a minute, or less when a window's samples need it.
    let latest = READ_LATEST_MS;
    for (const booked of entry.rules) {
      const windowSeconds = booked.rule.windowSeconds;
      if (windowSeconds !== null) latest = Math.min(latest, windowReadLatestMs(windowSeconds * 1000));
    }
    let until = nextGridRead(gridOffset(entry.ownerId), nowMs, latest);
    const reads = new TotalsReads(index);
    for (const booked of entry.rules) {
      const { rule } = booked;
      const t = reads.of(rule);
      // No totals: nothing to read, the rule holds (totals come with a ledger write, which marks the owner).
      if (t === undefined) continue;
      if (!quietAt(booked, t, reads.open, nowMs)) {
        candidates.push(booked);
        slack = 0;
        continue;
      }
      // Without liabilities every holding's value is positive: the totals are their own gross value.
      if (slack === 0 || t.marketValue < 0n) {
        slack = 0;
        continue;
      }
      // A band that holds only until a cooldown's end: read again then.
      if (booked.band!.untilMs < until) until = booked.band!.untilMs;
      let room = relativeSlack(bandSlack(booked.band!, t.marketValue), t.marketValue);
      if (booked.window) ({ room, untilMs: until } = windowRoom(booked, t.marketValue, room, nowMs, until));
      if (room < slack) slack = room;
    }
    const reading = drift.readingNow(nowMs);
    entry.basis = { reading, room: slack === 0 ? NO_ROOM : roomOf(entry, reading, slack), until };
  }

  /**
   * The owner's room on the reading (PriceDrift.roomSince), from the shares of its instruments in the
   * totals its rules read now (the same index, no await since: the same prices). None when a holding
   * is a liability.
   */
  function roomOf(entry: OwnerRules, reading: Reading, slack: number) {
    let sound = true;
    let portfolio = false;
    const accounts: string[] = [];
    for (const booked of entry.rules) {
      const accountId = booked.rule.accountId;
      if (accountId === null ? portfolio : accounts.includes(accountId)) continue;
      if (accountId === null) portfolio = true;
      else accounts.push(accountId);
      sound &&= shares.add(entry.ownerId, accountId);
    }
    const { held, shares: of, prices } = shares.take();
    return sound ? drift.roomSince(reading, held, of, prices, slack) : NO_ROOM;
  }

  /** Notes what an event that moved the index moves: its instrument's price, rates, or an owner's holdings. */
  function noteMove(logged: LoggedEvent): void {
    const e = logged.event;
    if (e.type === 'price.updated') drift.priceMoved(e.instrumentId);
    else if (e.type === 'fx.updated') drift.ratesMoved();
    else if (e.type === 'portfolio.changed') drift.ownerMoved(e.ownerId);
  }

  /**
   * The owners whose totals are to be read at this batch: those moved other than by prices (a ledger
   * write, a rate, a new day's open), those read too long ago, those with a rule outside its band or a
   * liability, and those whose room in their bands the drift of their instruments' prices since their
   * last read may have used up. The others' totals are inside their bands: they are not read.
   */
  function ownersDue(nowMs: number): OwnerRules[] {
    const due: OwnerRules[] = [];
    const everyone = drift.everyone || unfollow === undefined;
    drift.everyone = false;
    for (const ownerId of drift.moved) {
      const entry = book.ofOwner(ownerId);
      if (entry) entry.basis = undefined;
    }
    drift.moved.clear();
    for (const entry of book.watchedOwners()) {
      if (entry.rules.length === 0) continue;
      const b = entry.basis;
      if (
        everyone ||
        b === undefined ||
        nowMs >= b.until ||
        // Some price moved that far: did the owner's own, weighted by their shares, add up to its room?
        (b.reading.drift >= b.room.bar && drift.weightedMove(b.room, b.reading) >= b.room.slack)
      )
        due.push(entry);
    }
    return due;
  }

  /**
   * The owners holding a liability as the index has them now. A ledger write may have brought a
   * liability not seen before: which instruments are liabilities is read again after one (before the
   * owners it moved are read: a holding is written after its instrument).
   */
  async function liabilityHolders(): Promise<ReadonlySet<string>> {
    if (liabilityIds === undefined || drift.holdingsChanged) {
      drift.holdingsChanged = false;
      liabilityIds = await instruments.listLiabilityIds(db);
    }
    const holders = new Set<string>();
    for (const id of liabilityIds) for (const ownerId of index.ownersHolding(id)) holders.add(ownerId);
    return holders;
  }

  /**
   * Decides each rule on its readings; fires and re-arms are recorded one after the other. Rules on
   * totals (the given ones, and at a batch every owner due, see ownersDue) are first checked against
   * their quiet bands, without an await: nearly all of those readings are far from anything a rule
   * would notice. Rules whose copy was doubtful are read again from the database in one query, and
   * those re-armed there decided again on the same readings: a crossing is never held on a stale copy.
   */
  async function evaluate(rules: Iterable<BookedRule>, prices?: BatchExtremes, batch = false): Promise<void> {
    const nowMs = now().getTime();
    const read = inputs(nowMs);
    const candidates: BookedRule[] = [];
    const onTotals: BookedRule[] = [];
    for (const booked of rules) {
      if (TOTALS_KINDS.has(booked.rule.kind)) onTotals.push(booked);
      else candidates.push(booked);
    }
    // Evaluation shares the thread with the valuer and the live relay: a long batch lets them in.
    for (let i = 0; i < onTotals.length; i += QUIET_YIELD_EVERY) {
      if (i > 0) await setImmediate();
      checkTotalsRules(onTotals.slice(i, i + QUIET_YIELD_EVERY), nowMs, candidates);
    }
    if (batch && book.watchesOwners) {
      const liable = await liabilityHolders();
      let checked = 0;
      for (const entry of ownersDue(nowMs)) {
        if (checked >= QUIET_YIELD_EVERY) {
          checked = 0;
          await setImmediate();
        }
        checked += entry.rules.length;
        readOwner(entry, nowMs, candidates, liable);
      }
      drift.endBatch(nowMs);
    } else if (batch) {
      // No rule on totals: nothing waits for what moved them.
      drift.moved.clear();
      drift.everyone = false;
    }

    const lossOwners = new Set<string>();
    for (const b of candidates) {
      if (b.rule.kind === 'unrealized_loss' && !positions.has(b.rule.ownerId)) lossOwners.add(b.rule.ownerId);
    }
    await Promise.all([...lossOwners].map(loadPositions));
    const doubtful: string[] = [];
    let decided = 0;
    for (const booked of candidates) {
      if (++decided % YIELD_EVERY === 0) await setImmediate();
      const { rule } = booked;
      if (await decide(rule.id, readingsOf(rule, read, prices, nowMs), nowMs)) doubtful.push(rule.id);
    }
    if (doubtful.length === 0) return;
    for (const fresh of await alerts.listArmedAlertRules(db, doubtful)) {
      const booked = book.put(fresh);
      if (booked?.state.armed)
        await decide(booked.rule.id, readingsOf(booked.rule, read, prices, nowMs), nowMs);
    }
  }

  /**
   * Whether an event the relay applied and noted already is to be read here all the same (its subject
   * says what it is about): a price of an instrument some rule is on (its extremes within the batch),
   * a portfolio change of an owner with unrealized-loss rules (their positions). Rules on totals take
   * what moved from the relay (PriceDrift); the rest of the events are acknowledged unread.
   */
  function bodyNeeded(subject: string): boolean {
    const topic = portfolioSubjectTopic(subject);
    if (topic === undefined) return false;
    return topic.kind === 'price'
      ? book.ofInstrument(topic.id) !== undefined
      : book.lossRulesOf(topic.id) !== undefined;
  }

  /**
   * What a batch of events can move besides owners' totals (ownersDue): rules on instruments, and
   * unrealized losses after a ledger write. Each event moves the index first, and what it moved is
   * noted: by the relay, which applies most events before the notifier's consumer hands them over, or
   * here for those it has not applied yet (whichever comes first counts).
   */
  async function rulesMovedBy(
    batch: readonly NotifierDelivery[],
    prices: BatchExtremes,
  ): Promise<Set<BookedRule>> {
    const instrumentIds = new Set<string>();
    const rules = new Set<BookedRule>();
    for (const delivery of batch) {
      // Most events reach the relay first: applying and noting them again would change nothing, and
      // their bodies are read here only when the rules need more than the relay took from them.
      const relayedAlready = delivery.seq >= relayed.from && delivery.seq <= relayed.to;
      if (relayedAlready && !bodyNeeded(delivery.subject)) continue;
      const logged = delivery.logged;
      if (!logged) continue;
      const e = logged.event;
      if (e.type === 'notification.created') continue;
      if (!relayedAlready) {
        await index.apply(logged);
        noteMove(logged);
      }
      if (e.type === 'price.updated') {
        instrumentIds.add(e.instrumentId);
        // A price older than the one the last evaluation read (a redelivery) is no reading of now. Only
        // the batch's prices of instruments some rule is on are kept.
        if (
          book.ofInstrument(e.instrumentId) &&
          Date.parse(e.asOf) > (priceReadAt.get(e.instrumentId) ?? 0)
        ) {
          prices.record(e.instrumentId, parseDecimal(e.price, PRICE_SCALE));
        }
      } else if (e.type === 'portfolio.changed') {
        const lossRules = book.lossRulesOf(e.ownerId);
        if (e.cause.kind === 'holding' && lossRules) {
          // The owner's quantities and costs changed: read again before these rules are evaluated.
          positions.delete(e.ownerId);
          for (const b of lossRules) rules.add(b);
        }
      }
    }
    // The instruments of this batch's events, and those whose price moved in the index otherwise (the
    // consumer handed those events to another replica, this one's relay applied them): a replica
    // whose copy of a rule is ahead of the others' (it fired it) reads its instrument whoever got the
    // prices, so a dip back past the band read as nothing by a copy still armed elsewhere re-arms it.
    for (const instrumentId of drift.instruments) instrumentIds.add(instrumentId);
    drift.instruments.clear();
    for (const instrumentId of instrumentIds) {
      for (const b of book.ofInstrument(instrumentId) ?? []) rules.add(b);
    }
    return rules;
  }

  /** When the last batch's evaluation started; none yet: the first does not wait. */
  let lastBatchAt = Number.NEGATIVE_INFINITY;
  /** Per instrument, the quote instant of the price the last batch read. */
  const priceReadAt = new Map<string, number>();

  async function handle(batch: readonly NotifierDelivery[]): Promise<void> {
    if (batch.length < deps.source.maxBatch) {
      const wait = lastBatchAt + settings.batchIntervalMs - performance.now();
      if (wait > 0) await sleep(wait);
    }
    lastBatchAt = performance.now();
    try {
      const prices = new BatchExtremes();
      await inTurn(async () => {
        await evaluate(await rulesMovedBy(batch, prices), prices, true);
        for (const instrumentId of prices.keys()) {
          const p = index.price(instrumentId);
          if (p) priceReadAt.set(instrumentId, p.asOfMs);
        }
      });
      for (const d of batch) d.ack();
    } catch (err) {
      log.warn({ err, events: batch.length }, 'alert evaluation failed; events delivered again');
      for (const d of batch) d.nak(RETRY_MS);
    }
  }

  function every(ms: number, work: () => Promise<void>, what: string): void {
    const timer = setInterval(() => {
      inTurn(work).catch((err: unknown) => log.warn({ err }, `${what} failed`));
    }, ms);
    timer.unref();
    timers.push(timer);
  }

  return {
    async start() {
      // Every rule once at the start: a value may be past a threshold already (set while no notifier
      // ran, or crossed while this one was down), and no event may come for a while. Owners' totals are
      // read as at a batch (every owner is due), so each keeps its room and the prices its totals were
      // read against (PriceDrift.track): the first batch reads again only those that prices moved far
      // enough since, not every owner a second time.
      await inTurn(async () => {
        await pollRules(true);
        const onInstruments = [...book.all()].filter((b) => !TOTALS_KINDS.has(b.rule.kind));
        await evaluate(onInstruments, undefined, true);
      });
      every(settings.rulesPollMs, () => pollRules(false), 'alert rules poll');
      every(settings.rulesReloadMs, () => pollRules(true), 'alert rules reload');
      every(settings.staleSweepMs, () => evaluate(book.stale()), 'staleness sweep');
      deps.sender.start();
      running = deps.source.run(handle, stopping.signal);
      log.info({ rules: book.size }, 'notifier evaluating alert rules');
    },
    rulesChanged() {
      inTurn(() => pollRules(false)).catch((err: unknown) => log.warn({ err }, 'alert rules poll failed'));
    },
    async stop() {
      unfollow?.();
      for (const t of timers) clearInterval(t);
      stopping.abort();
      await running;
      await turn;
      await deps.sender.stop();
    },
  };
}
