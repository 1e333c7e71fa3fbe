import type { alerts } from '@tickfolio/db';
import { type CrossingRule, type CrossingState, crossingRuleOf } from './crossing';
import type { Reading, WeightedRoom } from './price-drift';
import type { QuietBand } from './quiet-band';
import type { ValueSeries } from './value-windows';

/** A rule as the notifier holds it: its settings, as a crossing, and its state as last seen. */
export interface BookedRule {
  readonly rule: alerts.AlertRule;
  readonly crossing: CrossingRule;
  /** The state the database had (or this process made it): a firing is decided on it and checked against it. */
  state: CrossingState & { readonly crossings: number };
  /** Rules on totals: the values at which it decides nothing, for its state (derived when first needed). */
  band?: QuietBand;
  /** Moves within a window: the series of values the window is read from (kept, not looked up). */
  window?: ValueSeries;
}

/**
 * Why an owner's totals need not be read at a batch: they were read at `reading` and every rule was in
 * its quiet band with room to spare; until the moves of its instruments' prices since, weighted by their
 * shares of its totals, reach its room (`room`, see PriceDrift.roomSince), or the clock reaches `until`,
 * they stay inside.
 */
export interface OwnerBasis {
  readonly reading: Reading;
  readonly room: WeightedRoom;
  readonly until: number;
}

/** An owner's rules on their totals. */
export interface OwnerRules {
  readonly ownerId: string;
  /** An array, not a set: an owner's rules are read together, one after the other. */
  readonly rules: readonly BookedRule[];
  /** The notifier's, while its rules are quiet; voided by any change of a rule or of its state. */
  basis?: OwnerBasis;
}

interface OwnerEntry extends OwnerRules {
  readonly rules: BookedRule[];
}

/** Kinds read from a portfolio's or account's totals: evaluated when the owner's totals move. */
export const TOTALS_KINDS: ReadonlySet<alerts.AlertKind> = new Set([
  'portfolio_move',
  'value_above',
  'value_below',
]);

function add<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  let set = map.get(key);
  if (!set) {
    set = new Set<V>();
    map.set(key, set);
  }
  set.add(value);
}

function drop<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  const set = map.get(key);
  set?.delete(value);
  if (set?.size === 0) map.delete(key);
}

/**
 * The active rules, indexed by what moves them: an owner's totals (moves and values), an instrument's
 * price (price moves, staleness, unrealized losses). A copy of the database's, kept current by the
 * notifier (what it fires and re-arms; what changed, polled).
 */
export class RuleBook {
  private readonly rules = new Map<string, BookedRule>();
  /** Kept while empty (until a full reload): the notifier keeps what it knows of an owner on the entry. */
  private readonly byOwner = new Map<string, OwnerEntry>();
  private totalsRules = 0;
  private readonly byInstrument = new Map<string, Set<BookedRule>>();
  /** Owners with unrealized-loss rules: their holdings are read again after a ledger write. */
  private readonly lossOwners = new Map<string, Set<BookedRule>>();
  private readonly staleRules = new Set<BookedRule>();

  get size(): number {
    return this.rules.size;
  }

  /**
   * Takes the rule as the database has it now: added, replaced, or (inactive) removed; the rule as
   * booked now, if active.
   */
  put(rule: alerts.AlertRule): BookedRule | undefined {
    const known = this.rules.get(rule.id);
    // An older copy (a poll overlapping with a firing this process recorded) changes nothing.
    if (known && known.rule.version === rule.version && known.state.crossings > rule.crossings) return known;
    this.remove(rule.id);
    if (!rule.active) return undefined;
    const booked: BookedRule = {
      rule,
      crossing: crossingRuleOf(rule),
      state: {
        armed: rule.armed,
        crossings: rule.crossings,
        lastFiredAtMs: rule.lastTriggeredAt === null ? null : Date.parse(rule.lastTriggeredAt),
      },
    };
    this.rules.set(rule.id, booked);
    if (TOTALS_KINDS.has(rule.kind)) {
      let entry = this.byOwner.get(rule.ownerId);
      if (!entry) {
        entry = { ownerId: rule.ownerId, rules: [] };
        this.byOwner.set(rule.ownerId, entry);
      }
      entry.rules.push(booked);
      entry.basis = undefined;
      this.totalsRules++;
    } else if (rule.instrumentId !== null) add(this.byInstrument, rule.instrumentId, booked);
    if (rule.kind === 'unrealized_loss') add(this.lossOwners, rule.ownerId, booked);
    if (rule.kind === 'price_stale') this.staleRules.add(booked);
    return booked;
  }

  remove(id: string): void {
    const booked = this.rules.get(id);
    if (!booked) return;
    this.rules.delete(id);
    const { rule } = booked;
    const entry = this.byOwner.get(rule.ownerId);
    const at = entry ? entry.rules.indexOf(booked) : -1;
    if (at >= 0) {
      entry!.rules.splice(at, 1);
      entry!.basis = undefined;
      this.totalsRules--;
    }
    if (rule.instrumentId !== null) drop(this.byInstrument, rule.instrumentId, booked);
    drop(this.lossOwners, rule.ownerId, booked);
    this.staleRules.delete(booked);
  }

  /** Replaces every rule (a full reload: rules deleted elsewhere go). */
  replaceAll(rules: readonly alerts.AlertRule[]): void {
    for (const id of [...this.rules.keys()]) this.remove(id);
    for (const rule of rules) this.put(rule);
    for (const [ownerId, entry] of this.byOwner) {
      if (entry.rules.length > 0) continue;
      this.byOwner.delete(ownerId);
    }
  }

  /** Records the rule's new state (fired, re-armed): its owner's rules are read again at the next batch. */
  setState(booked: BookedRule, state: BookedRule['state']): void {
    booked.state = state;
    const entry = this.byOwner.get(booked.rule.ownerId);
    if (entry) entry.basis = undefined;
  }

  get(id: string): BookedRule | undefined {
    return this.rules.get(id);
  }

  all(): Iterable<BookedRule> {
    return this.rules.values();
  }

  /** The owner's rules on their totals (possibly none left since the last full reload). */
  ofOwner(ownerId: string): OwnerRules | undefined {
    return this.byOwner.get(ownerId);
  }

  ofInstrument(instrumentId: string): ReadonlySet<BookedRule> | undefined {
    return this.byInstrument.get(instrumentId);
  }

  /** Whether some rule watches an owner's totals. */
  get watchesOwners(): boolean {
    return this.totalsRules > 0;
  }

  /** Owners whose totals some rule watches (and, until the next full reload, some that no longer). */
  watchedOwners(): Iterable<OwnerRules> {
    return this.byOwner.values();
  }

  lossRulesOf(ownerId: string): ReadonlySet<BookedRule> | undefined {
    return this.lossOwners.get(ownerId);
  }

  stale(): ReadonlySet<BookedRule> {
    return this.staleRules;
  }
}
