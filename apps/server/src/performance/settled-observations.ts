import { type Db, intradayObservations } from '@tickfolio/db';

type SampledPrice = intradayObservations.SampledPrice;
type SampledFxQuote = intradayObservations.SampledFxQuote;

/**
 * An interval that ended this long before a read is settled: its sampled observations are kept and not
 * read again. A tick stored later than that for one of them (a late one) is seen once the day's kept
 * observations are dropped (MAX_AGE_MS).
 */
const SETTLED_MS = 60_000;
/** The day's kept observations are dropped this long after they began, and read afresh. */
const MAX_AGE_MS = 3_600_000;
/** At most this many instruments' observations are kept (each at most one per interval of the day). */
const MOST_INSTRUMENTS = 2_000;

/** One series' observations of the settled intervals: all those before `until`. */
interface Settled<T> {
  readonly until: number;
  readonly samples: readonly T[];
}

interface Day {
  readonly day: string;
  readonly since: number;
  readonly prices: Map<string, Settled<SampledPrice>>;
  fx: Settled<SampledFxQuote> | undefined;
}

/** Per database handle (one server's), so two servers in one process never share. */
const days = new WeakMap<Db, Day>();

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * The day's sampled price observations of `instrumentIds` and FX quotes, from the day's start to `now`
 * (intradayObservations, one per series and interval). The settled intervals' observations are kept on
 * this replica per instrument and pair — shared by every owner who holds the instrument — so a read takes
 * each instrument's from there and asks the database only for the intervals since: the first owner to
 * ask for an instrument's day pays for its whole-day read, later ones (the same owner, or any other) read
 * the last few intervals. Each series' observations are in order; the caller orders the whole.
 */
export async function readDayObservations(
  db: Db,
  instrumentIds: readonly string[],
  today: string,
  now: Date,
  intervalMs: number,
): Promise<{ prices: SampledPrice[]; fx: SampledFxQuote[] }> {
  const dayStart = Date.parse(`${today}T00:00:00.000Z`);
  const kept = days.get(db);
  const store =
    kept && kept.day === today && now.getTime() - kept.since <= MAX_AGE_MS
      ? kept
      : { day: today, since: now.getTime(), prices: new Map<string, Settled<SampledPrice>>(), fx: undefined };
  if (store !== kept) days.set(db, store);
  // What is settled as the read begins (concurrent reads may move it on meanwhile: this read keeps to it).
  const known = new Map(instrumentIds.map((id) => [id, store.prices.get(id)]));
  const byStart = new Map<number, string[]>();
  for (const id of instrumentIds) pushTo(byStart, known.get(id)?.until ?? dayStart, id);
  const knownFx = store.fx;
  const range = (from: number) => ({ from: new Date(from), to: now, intervalMs });
  const [reads, fxRead] = await Promise.all([
    Promise.all(
      [...byStart].map(([from, ids]) => intradayObservations.listSampledPrices(db, ids, range(from))),
    ),
    intradayObservations.listSampledFxQuotes(db, range(knownFx?.until ?? dayStart)),
  ]);
  const until = Math.floor((now.getTime() - SETTLED_MS) / intervalMs) * intervalMs;
  const fresh = new Map<string, SampledPrice[]>();
  for (const rows of reads) for (const r of rows) pushTo(fresh, r.instrumentId, r);
  const before = (o: { at: string }) => Date.parse(o.at) < until;
  const prices: SampledPrice[] = [];
  for (const id of instrumentIds) {
    const settled = known.get(id);
    const rows = fresh.get(id) ?? [];
    if (settled) prices.push(...settled.samples);
    prices.push(...rows);
    // Settled further: kept for the next read, unless another read moved it on meanwhile.
    const unchanged = store.prices.get(id) === settled;
    const room = settled !== undefined || store.prices.size < MOST_INSTRUMENTS;
    if (until > (settled?.until ?? dayStart) && unchanged && room) {
      store.prices.set(id, { until, samples: [...(settled?.samples ?? []), ...rows.filter(before)] });
    }
  }
  const fx = [...(knownFx?.samples ?? []), ...fxRead];
  if (until > (knownFx?.until ?? dayStart) && store.fx === knownFx) {
    store.fx = { until, samples: fx.filter(before) };
  }
  return { prices, fx };
}
