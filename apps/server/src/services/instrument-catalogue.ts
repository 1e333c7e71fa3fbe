import {
  type InstrumentCandidate,
  instrumentCandidateSchema,
  LOOKUP_QUERY_MAX,
  type LookupSourceOutcome,
} from '@tickfolio/bus';
import type { CurrencyCode, Instrument } from '@tickfolio/core';
import {
  atomically,
  auditLog,
  constraintViolation,
  type Db,
  instrumentRequests,
  instrumentResolution,
  instruments,
} from '@tickfolio/db';
import type { Principal } from '../auth/principal';
import type { InstrumentLookup } from '../ports/instrument-lookup';
import { type InstrumentView, instrumentView } from './instrument-view';
import { assertMayReadInstruments } from './instruments-scope';
import { ConflictError, InvalidRequestError, NotFoundError } from './not-found';
import type { ServiceDeps } from './service-deps';
import { UnavailableError } from './unavailable';

/** Who changes the catalogue, and in which request: both go into the audit log. */
export interface CatalogueActor {
  readonly actorId: string;
  /** Null outside a request (an import run in the background). */
  readonly requestId: string | null;
}

/** How an instrument reached the catalogue, for the audit log. */
type AddedVia = 'lookup' | 'definition' | 'request' | 'approval' | 'import';

/**
 * One line of a lookup's answer: an instrument in the catalogue (instrumentId set), a source's candidate
 * not in it yet (instrumentId null), or both at once (a catalogue instrument a source also found).
 */
export interface LookupResult {
  readonly instrumentId: string | null;
  readonly symbol: string;
  readonly name: string;
  readonly exchange: string | null;
  readonly currency: CurrencyCode;
  readonly assetClass: Instrument['assetClass'];
  readonly isin: string | null;
  readonly amfiCode: string | null;
  readonly sources: Readonly<Record<string, string>>;
  /** The source that found it and its symbol there: what instruments.request and admin.instruments.add take. */
  readonly source: string | null;
  readonly sourceSymbol: string | null;
}

/** An instrument as an admin defines it by hand (no lookup): everything the catalogue holds. */
export interface InstrumentDefinition {
  readonly symbol: string;
  readonly name: string;
  readonly assetClass: Instrument['assetClass'];
  readonly currency: CurrencyCode;
  readonly exchange: string | null;
  readonly isin: string | null;
  readonly amfiCode: string | null;
  readonly sources: Readonly<Record<string, string>>;
}

/** What adding answers: the instrument, whether it is new, and whether the fetchers were asked to price it. */
export interface AddedInstrument {
  readonly instrument: InstrumentView;
  readonly created: boolean;
  /** requested: a fetcher prices it now; not_requested: nobody could be asked (embedded mode, broker down). */
  readonly pricing: 'requested' | 'not_requested';
}

/** A symbol an import (or anyone) wants resolved to a catalogue instrument, adding it when a source knows it. */
export interface SymbolToResolve {
  /** A ticker, a source's symbol, an ISIN or an AMFI scheme code. */
  readonly symbol: string;
  /** The source that names it so (our id: 'yahoo', 'amfi', 'mfapi'); only its candidates then count. */
  readonly source?: string | undefined;
  /** The trade's currency: picks one of several listings. */
  readonly currency?: CurrencyCode | undefined;
}

/**
 * What became of one symbol. known: already in the catalogue; added: found at a source and added;
 * would_add: found, and a real run would add it (dry run); not_found: no source knows it exactly;
 * ambiguous: several candidates match it exactly (listed); unavailable: no source could be asked.
 */
export type ResolvedSymbol =
  | { readonly symbol: string; readonly status: 'known' | 'added'; readonly instrument: InstrumentView }
  | { readonly symbol: string; readonly status: 'would_add'; readonly candidate: InstrumentCandidate }
  | { readonly symbol: string; readonly status: 'ambiguous'; readonly candidates: InstrumentCandidate[] }
  | { readonly symbol: string; readonly status: 'not_found' | 'unavailable'; readonly message: string };

/** Most symbols one resolveAndAdd call takes (each may cost a lookup at the sources). */
export const MAX_SYMBOLS_TO_RESOLVE = 200;
/** Candidates asked for when resolving one symbol: exact matches come first, so a few suffice. */
const RESOLVE_LOOKUP_LIMIT = 5;
/** Lookups in flight at once while resolving many symbols: the fetchers' sources are rate limited. */
const RESOLVE_CONCURRENCY = 2;

const same = (a: string | null, b: string) => a !== null && a.toUpperCase() === b.toUpperCase();

/** Whether `text` names the candidate exactly: its symbol, its symbol at a source, its ISIN or scheme code. */
function namesExactly(c: InstrumentCandidate, text: string): boolean {
  return (
    same(c.symbol, text) ||
    same(c.isin, text) ||
    same(c.amfiCode, text) ||
    Object.values(c.sources).some((s) => same(s, text))
  );
}

function resultOf(i: Instrument, found?: InstrumentCandidate): LookupResult {
  const view = instrumentView(i);
  return {
    instrumentId: view.id,
    symbol: view.symbol,
    name: view.name,
    exchange: view.exchange,
    currency: view.currency,
    assetClass: view.assetClass,
    isin: view.isin,
    amfiCode: view.amfiCode,
    sources: view.sources,
    source: found?.source ?? null,
    sourceSymbol: found?.sourceSymbol ?? null,
  };
}

function candidateResult(c: InstrumentCandidate): LookupResult {
  const { source, sourceSymbol, ...rest } = c;
  return { instrumentId: null, ...rest, source, sourceSymbol };
}

/** Runs `work` over `items`, at most `concurrency` at once, answers in the items' order. */
async function inTurns<T, R>(items: readonly T[], concurrency: number, work: (item: T) => Promise<R>) {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

/**
 * The instrument catalogue: lookups through the price sources (answered by the fetchers, see
 * ports/instrument-lookup.ts), adding and changing instruments, investors' requests and their review,
 * and resolving unknown symbols for imports. Every change is audited in the transaction that makes it;
 * identifiers stay unique (the database's constraints, answered as CONFLICT), and an added instrument is
 * found by the one resolution rule (packages/db's instrument-resolution) by its symbol, ISIN, scheme
 * code and source symbols. An instrument added is priced at once: the fetchers are asked on REFRESH.
 */
export function createInstrumentCatalogue(deps: ServiceDeps, lookup: InstrumentLookup) {
  const { db } = deps;
  const requestsMode = deps.config.catalogue.requests;

  /** The catalogue's instrument this candidate is, by the one resolution rule, if any. */
  async function knownAs(trx: Db, c: InstrumentCandidate): Promise<Instrument | undefined> {
    const resolution = await instrumentResolution.resolveInstrument(
      trx,
      { symbol: c.sourceSymbol, isin: c.isin ?? undefined, amfiCode: c.amfiCode ?? undefined },
      { source: c.source, currency: c.currency },
    );
    // A listing of the same symbol in another currency is another instrument, not this one.
    if (resolution.kind === 'found' && resolution.instrument.currency === c.currency) {
      return resolution.instrument;
    }
    return undefined;
  }

  function duplicate(error: unknown): never {
    const violation = constraintViolation(error);
    if (violation?.kind === 'unique') {
      const what: Record<string, string> = {
        instruments_symbol_exchange_unique: 'this symbol on this exchange',
        instruments_amfi_code_key: 'this AMFI scheme code',
        instrument_identifiers_source_identifier_unique: 'this symbol at this source',
      };
      const named = what[violation.constraint ?? ''] ?? 'these identifiers';
      throw new ConflictError(`another instrument already has ${named}`);
    }
    throw error;
  }

  /**
   * Adds the definition unless the catalogue already has it (checked again inside the transaction), audits
   * it and closes the requests waiting for it. Pricing is asked after the commit.
   */
  async function addDefinition(
    definition: InstrumentDefinition,
    via: AddedVia,
    actor: CatalogueActor,
    candidate?: InstrumentCandidate,
  ): Promise<{ instrument: Instrument; created: boolean }> {
    try {
      return await atomically(db, async (trx) => {
        const existing = candidate && (await knownAs(trx, candidate));
        if (existing) return { instrument: existing, created: false };
        const instrument = await instruments.createInstrument(trx, {
          symbol: definition.symbol,
          name: definition.name,
          assetClass: definition.assetClass,
          currency: definition.currency,
          exchange: definition.exchange,
          identifiers: {
            ...(definition.isin !== null ? { isin: definition.isin } : {}),
            ...(definition.amfiCode !== null ? { amfiCode: definition.amfiCode } : {}),
            sources: { ...definition.sources },
          },
        });
        await auditLog.appendAudit(trx, {
          actorId: actor.actorId,
          requestId: actor.requestId,
          action: 'instrument.add',
          entity: 'instrument',
          entityId: instrument.id,
          after: { ...instrumentView(instrument), via },
        });
        for (const [source, symbol] of Object.entries(definition.sources)) {
          await instrumentRequests.approvePendingFor(trx, source, symbol, instrument.id, {
            userId: actor.actorId,
            at: deps.now(),
          });
        }
        return { instrument, created: true };
      });
    } catch (error) {
      return duplicate(error);
    }
  }

  async function priced(instrumentIds: readonly string[]): Promise<AddedInstrument['pricing']> {
    return (await lookup.requestPrices(instrumentIds)) ? 'requested' : 'not_requested';
  }

  async function added(result: { instrument: Instrument; created: boolean }): Promise<AddedInstrument> {
    // One already in the catalogue has its prices (or is held and refreshed): asking again costs a fetch.
    const pricing = result.created ? await priced([result.instrument.id]) : 'not_requested';
    return { instrument: instrumentView(result.instrument), created: result.created, pricing };
  }

  /** The candidate a source reports for its own symbol; refused when no source knows it so. */
  async function candidateAt(source: string, symbol: string): Promise<InstrumentCandidate> {
    if (lookup.reach === 'local-only') {
      throw new InvalidRequestError(
        'NO_LOOKUP',
        'this server has no price sources to look instruments up in (embedded mode); an admin can add one by its definition',
      );
    }
    const reply = await lookup.lookup(symbol, RESOLVE_LOOKUP_LIMIT);
    const found = reply.candidates.find(
      (c) => c.sources[source] !== undefined && same(c.sources[source]!, symbol),
    );
    if (!found) {
      throw new InvalidRequestError('UNKNOWN_INSTRUMENT', `${source} does not know the symbol ${symbol}`);
    }
    return found;
  }

  function definitionOf(c: InstrumentCandidate): InstrumentDefinition {
    return {
      symbol: c.symbol,
      name: c.name,
      assetClass: c.assetClass,
      currency: c.currency,
      exchange: c.exchange,
      isin: c.isin,
      amfiCode: c.amfiCode,
      sources: c.sources,
    };
  }

  async function requestView(r: instrumentRequests.InstrumentRequest) {
    const candidate = instrumentCandidateSchema.safeParse(r.candidate);
    return {
      id: r.id,
      requestedBy: r.requestedBy,
      source: r.source,
      sourceSymbol: r.sourceSymbol,
      candidate: candidate.success ? candidate.data : null,
      status: r.status,
      instrumentId: r.instrumentId,
      decidedBy: r.decidedBy,
      decidedAt: r.decidedAt,
      reason: r.reason,
      createdAt: r.createdAt,
    };
  }

  async function requireRequest(trx: Db, requestId: string) {
    const found = await instrumentRequests.findRequest(trx, requestId);
    if (!found) throw new NotFoundError('instrument request');
    return found;
  }

  async function resolveOne(
    item: SymbolToResolve,
    dryRun: boolean,
    actor: CatalogueActor,
  ): Promise<ResolvedSymbol> {
    const { symbol } = item;
    const local = await instrumentResolution.resolveInstrument(
      db,
      { symbol, isin: /^[A-Z]{2}[A-Z0-9]{9}\d$/.test(symbol) ? symbol : undefined },
      { source: item.source, currency: item.currency },
    );
    if (local.kind === 'found')
      return { symbol, status: 'known', instrument: instrumentView(local.instrument) };
    if (lookup.reach === 'local-only') {
      return { symbol, status: 'unavailable', message: 'no price sources to look it up in (embedded mode)' };
    }
    // An import's code can be longer than any symbol the sources are asked for; no source knows it.
    if (symbol.length > LOOKUP_QUERY_MAX) {
      return {
        symbol,
        status: 'not_found',
        message: `longer than ${LOOKUP_QUERY_MAX} characters: no source knows it`,
      };
    }
    let candidates: InstrumentCandidate[];
    try {
      candidates = (await lookup.lookup(symbol, RESOLVE_LOOKUP_LIMIT)).candidates;
    } catch (error) {
      if (!(error instanceof UnavailableError)) throw error;
      return { symbol, status: 'unavailable', message: 'no fetcher answered the lookup' };
    }
    let exact = candidates.filter(
      (c) => namesExactly(c, symbol) && (item.source === undefined || c.sources[item.source] !== undefined),
    );
    const inCurrency = exact.filter((c) => c.currency === item.currency);
    if (exact.length > 1 && inCurrency.length > 0) exact = inCurrency;
    if (exact.length === 0)
      return { symbol, status: 'not_found', message: `no source knows ${symbol} exactly` };
    if (exact.length > 1) return { symbol, status: 'ambiguous', candidates: exact };
    const candidate = exact[0]!;
    if (dryRun) {
      const known = await knownAs(db, candidate);
      return known
        ? { symbol, status: 'known', instrument: instrumentView(known) }
        : { symbol, status: 'would_add', candidate };
    }
    const result = await addDefinition(definitionOf(candidate), 'import', actor, candidate);
    return {
      symbol,
      status: result.created ? 'added' : 'known',
      instrument: instrumentView(result.instrument),
    };
  }

  return {
    /**
     * The local catalogue's matches and the sources' candidates for a query, merged: a candidate the
     * catalogue has is marked with its instrumentId (and shown once). In embedded mode the sources are not
     * asked (reach local-only). UnavailableError (503) when no fetcher answers.
     */
    async lookup(principal: Principal, query: { query: string; limit?: number }) {
      assertMayReadInstruments(principal);
      const limit = query.limit ?? 10;
      const [local, reply] = await Promise.all([
        instruments.searchInstruments(db, query.query, limit),
        lookup.lookup(query.query, limit),
      ]);
      const results = new Map<string, LookupResult>(local.map((i) => [i.id, resultOf(i)]));
      const fresh: LookupResult[] = [];
      for (const candidate of reply.candidates) {
        const known = await knownAs(db, candidate);
        if (known) {
          // The catalogue's own fields, with the source that found it.
          if (!results.has(known.id) || results.get(known.id)!.source === null) {
            results.set(known.id, resultOf(known, candidate));
          }
        } else {
          fresh.push(candidateResult(candidate));
        }
      }
      const sources: LookupSourceOutcome[] = reply.sources;
      return { results: [...results.values(), ...fresh], reach: lookup.reach, sources };
    },

    /**
     * An investor (any signed-in person) asks for an instrument a source knows, by the source and its
     * symbol there (a lookup result's source and sourceSymbol). INSTRUMENT_REQUESTS=add adds it at once;
     * review opens a request for an admin (or joins the one already open). known: the catalogue has it.
     */
    async request(
      principal: Principal & { kind: 'user' },
      input: { source: string; symbol: string },
      requestId: string,
    ) {
      const actor: CatalogueActor = { actorId: principal.userId, requestId };
      const candidate = await candidateAt(input.source, input.symbol);
      const known = await knownAs(db, candidate);
      if (known)
        return { outcome: 'known' as const, instrument: instrumentView(known), request: null, pricing: null };
      if (requestsMode === 'add' || principal.role === 'admin') {
        const result = await added(await addDefinition(definitionOf(candidate), 'request', actor, candidate));
        return {
          outcome: result.created ? ('added' as const) : ('known' as const),
          instrument: result.instrument,
          request: null,
          pricing: result.pricing,
        };
      }
      const opened = await atomically(db, async (trx) => {
        const { request, created } = await instrumentRequests.openRequest(trx, {
          requestedBy: principal.userId,
          source: candidate.source,
          sourceSymbol: candidate.sourceSymbol,
          candidate,
        });
        if (created) {
          await auditLog.appendAudit(trx, {
            actorId: actor.actorId,
            requestId: actor.requestId,
            action: 'instrument_request.open',
            entity: 'instrument_request',
            entityId: request.id,
            after: { source: candidate.source, sourceSymbol: candidate.sourceSymbol },
          });
        }
        return request;
      });
      return {
        outcome: 'pending' as const,
        instrument: null,
        request: await requestView(opened),
        pricing: null,
      };
    },

    /** The caller's own requests, newest state of each, oldest first. */
    async myRequests(
      principal: Principal & { kind: 'user' },
      query: { limit: number; offset?: number | undefined },
    ) {
      const found = await instrumentRequests.listRequests(db, { ...query, requestedBy: principal.userId });
      return { items: await Promise.all(found.map(requestView)) };
    },

    /** Admins: adds what a source reports for its symbol (looked up now), or an instrument defined by hand. */
    async add(
      input: { source: string; symbol: string } | { definition: InstrumentDefinition },
      actor: CatalogueActor,
    ): Promise<AddedInstrument> {
      if ('definition' in input) return added(await addDefinition(input.definition, 'definition', actor));
      const candidate = await candidateAt(input.source, input.symbol);
      return added(await addDefinition(definitionOf(candidate), 'lookup', actor, candidate));
    },

    /** Admins: changes names and identifiers (never the currency or asset class: holdings rely on them). */
    async update(instrumentId: string, changes: instruments.InstrumentChanges, actor: CatalogueActor) {
      try {
        return await atomically(db, async (trx) => {
          const before = await instruments.findInstrumentById(trx, instrumentId);
          if (!before) throw new NotFoundError('instrument');
          const after = await instruments.updateInstrument(trx, instrumentId, changes);
          if (!after) throw new NotFoundError('instrument');
          await auditLog.appendAudit(trx, {
            actorId: actor.actorId,
            requestId: actor.requestId,
            action: 'instrument.update',
            entity: 'instrument',
            entityId: instrumentId,
            before: instrumentView(before),
            after: instrumentView(after),
          });
          return instrumentView(after);
        });
      } catch (error) {
        return duplicate(error);
      }
    },

    /** Admins: the catalogue by symbol (or the matches of a query), with the total. */
    async list(query: { query?: string | undefined; limit: number; offset?: number | undefined }) {
      if (query.query !== undefined) {
        const found = await instruments.searchInstruments(db, query.query, query.limit);
        return { items: found.map(instrumentView), total: found.length };
      }
      const [found, total] = await Promise.all([
        instruments.listInstruments(db, { limit: query.limit, offset: query.offset ?? 0 }),
        instruments.countInstruments(db),
      ]);
      return { items: found.map(instrumentView), total };
    },

    /** Admins: requests in one status (pending by default), oldest first. */
    async requests(query: {
      status: instrumentRequests.RequestStatus;
      limit: number;
      offset?: number | undefined;
    }) {
      const [found, total] = await Promise.all([
        instrumentRequests.listRequests(db, query),
        instrumentRequests.countRequests(db, query.status),
      ]);
      return { items: await Promise.all(found.map(requestView)), total };
    },

    /**
     * Admins: adds the request's candidate, as the source reported it when it was requested, and closes
     * the request; CONFLICT when it is no longer pending.
     */
    async approve(requestId: string, actor: CatalogueActor) {
      const request = await requireRequest(db, requestId);
      if (request.status !== 'pending') throw new ConflictError(`the request is ${request.status}`);
      const candidate = instrumentCandidateSchema.parse(request.candidate);
      const result = await addDefinition(definitionOf(candidate), 'approval', actor, candidate);
      // Adding closed it when the instrument is new; when it was known already, it is closed here.
      const decided = await atomically(db, async (trx) => {
        const closed =
          (await instrumentRequests.decideRequest(
            trx,
            requestId,
            { status: 'approved', instrumentId: result.instrument.id },
            { userId: actor.actorId, at: deps.now() },
          )) ?? (await requireRequest(trx, requestId));
        await auditLog.appendAudit(trx, {
          actorId: actor.actorId,
          requestId: actor.requestId,
          action: 'instrument_request.approve',
          entity: 'instrument_request',
          entityId: requestId,
          before: { status: 'pending' },
          after: { status: closed.status, instrumentId: closed.instrumentId },
        });
        return closed;
      });
      const outcome = await added(result);
      return { request: await requestView(decided), ...outcome };
    },

    /** Admins: closes the request without adding anything; CONFLICT when it is no longer pending. */
    async reject(requestId: string, reason: string | null, actor: CatalogueActor) {
      const decided = await atomically(db, async (trx) => {
        const closed = await instrumentRequests.decideRequest(
          trx,
          requestId,
          { status: 'rejected', reason },
          { userId: actor.actorId, at: deps.now() },
        );
        if (!closed) {
          const request = await requireRequest(trx, requestId);
          throw new ConflictError(`the request is ${request.status}`);
        }
        await auditLog.appendAudit(trx, {
          actorId: actor.actorId,
          requestId: actor.requestId,
          action: 'instrument_request.reject',
          entity: 'instrument_request',
          entityId: requestId,
          before: { status: 'pending' },
          after: { status: 'rejected', reason },
        });
        return closed;
      });
      return requestView(decided);
    },

    /**
     * For imports: resolves each symbol to a catalogue instrument, looking unknown ones up at the sources
     * and (unless `dryRun`) adding those one source knows exactly (its symbol there, its ISIN or scheme
     * code; the currency picks among several listings). The answer lists every distinct symbol, in the
     * order given; what was added is audited under `actor` and priced at once (one request for all).
     * At most MAX_SYMBOLS_TO_RESOLVE symbols.
     */
    async resolveAndAdd(
      items: readonly SymbolToResolve[],
      options: { readonly dryRun: boolean; readonly actor: CatalogueActor },
    ): Promise<ResolvedSymbol[]> {
      if (items.length > MAX_SYMBOLS_TO_RESOLVE) {
        throw new InvalidRequestError(
          'TOO_MANY_SYMBOLS',
          `at most ${MAX_SYMBOLS_TO_RESOLVE} symbols at once`,
        );
      }
      const distinct = [
        ...new Map(items.map((i) => [JSON.stringify([i.symbol, i.source, i.currency]), i])).values(),
      ];
      const resolved = await inTurns(distinct, RESOLVE_CONCURRENCY, (item) =>
        resolveOne(item, options.dryRun, options.actor),
      );
      const addedIds = resolved.flatMap((r) => (r.status === 'added' ? [r.instrument.id] : []));
      await lookup.requestPrices(addedIds);
      return resolved;
    },
  };
}

export type InstrumentCatalogue = ReturnType<typeof createInstrumentCatalogue>;
