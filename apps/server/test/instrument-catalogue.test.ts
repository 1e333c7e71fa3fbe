import { createNatsCatalogueRequests } from '@tickfolio/bus';
import { auditLog, instrumentResolution, instruments, users } from '@tickfolio/db';
import { DEMO_LOGINS } from '@tickfolio/db/demo';
import {
  fixture,
  json,
  lookupFixtureAnswer,
  type ProviderServer,
  startProviderServer,
} from '@tickfolio/testing';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createInstrumentLookup } from '../src/ports/instrument-lookup';
import { createInstrumentCatalogue } from '../src/services/instrument-catalogue';
import type { ServiceDeps } from '../src/services/service-deps';
import { type CatalogueRig, startCatalogueRig } from './support/catalogue-rig';
import { expectTRPCError } from './support/expect-trpc-error';
import { withTestDb } from './support/test-db';
import type { TestServer } from './support/test-server';

type Client = Awaited<ReturnType<TestServer['login']>>['client'];

/** Long enough for a loaded machine; the fetcher's own period (10 minutes) is far longer. */
const PRICED_WITHIN = { timeout: 30_000, interval: 100 };

/**
 * The providers the fetcher asks: the lookup's fixtures (Yahoo's search and the GOOG and NFLX charts,
 * mfapi's search), AMFI's 8-column NAV file, and each provider's "unknown" answer for anything else.
 */
function startLookupProviders(): Promise<ProviderServer> {
  return startProviderServer((request) => {
    const lookup = lookupFixtureAnswer(request);
    if (lookup) return lookup;
    const { path } = request;
    if (path === '/spages/NAVAll.txt') return { body: fixture('amfi-NAVAll-2026-08-8col-format-sample.txt') };
    if (path.startsWith('/v8/finance/chart/')) {
      return {
        status: 404,
        ...json({ chart: { result: null, error: { code: 'Not Found', description: 'No data found' } } }),
      };
    }
    if (path.startsWith('/mf/')) return { body: fixture('mfapi-mf-unknown-scheme-200-empty.json') };
    return { status: 404, body: 'not found' };
  });
}

/** Adding instruments on the real engines (support/catalogue-rig.ts): the fetcher prices what is added at once. */
describe('the instrument catalogue through a fetcher', () => {
  let rig: CatalogueRig;
  let adding: TestServer;
  let reviewing: TestServer;
  let admin: Client;
  let investor: Client;
  let reviewInvestor: Client;
  let reviewAdmin: Client;

  beforeAll(async () => {
    rig = await startCatalogueRig(startLookupProviders);
    ({ adding, reviewing } = rig);
    admin = (await adding.login(DEMO_LOGINS.admin)).client;
    investor = (await adding.login(DEMO_LOGINS.investor)).client;
    reviewInvestor = (await reviewing.login(DEMO_LOGINS.investor)).client;
    reviewAdmin = (await reviewing.login(DEMO_LOGINS.admin)).client;
  }, 120_000);

  afterAll(async () => {
    await rig?.stop();
  });

  it('finds GOOG and NFLX through Yahoo, with the listings the catalogue has marked', async () => {
    const goog = await investor.instruments.lookup.query({ query: 'GOOG' });
    expect(goog.reach).toBe('sources');
    expect(goog.sources.map((s) => [s.source, s.outcome])).toEqual([
      ['yahoo', 'answered'],
      ['amfi', 'answered'],
      ['mfapi', 'answered'],
    ]);
    expect(goog.results).toContainEqual({
      instrumentId: null,
      symbol: 'GOOG',
      name: 'Alphabet Inc.',
      exchange: 'XNAS',
      currency: 'USD',
      assetClass: 'stock',
      isin: null,
      amfiCode: null,
      sources: { yahoo: 'GOOG' },
      source: 'yahoo',
      sourceSymbol: 'GOOG',
    });
    // GOOGL is in the demo catalogue: Yahoo's candidate is shown once, as the catalogue's instrument.
    const googl = goog.results.filter((r) => r.symbol === 'GOOGL');
    expect(googl).toHaveLength(1);
    expect(googl[0]).toMatchObject({ source: 'yahoo', sourceSymbol: 'GOOGL', isin: 'US02079K3059' });
    expect(googl[0]!.instrumentId).not.toBeNull();

    const nflx = await investor.instruments.lookup.query({ query: 'NFLX', limit: 3 });
    expect(nflx.results[0]).toMatchObject({ instrumentId: null, symbol: 'NFLX', currency: 'USD' });
    expect(nflx.results.length).toBeLessThanOrEqual(3);
  });

  it("finds an AMFI scheme by its code and by its name, and knows the catalogue's fund by its code", async () => {
    const byCode = await investor.instruments.lookup.query({ query: '135762' });
    expect(byCode.results).toEqual([
      expect.objectContaining({
        instrumentId: null,
        symbol: '135762',
        name: "Axis Children's Fund - Direct Plan - Growth Option",
        currency: 'INR',
        assetClass: 'mutual_fund',
        isin: 'INF846K01WO1',
        amfiCode: '135762',
        source: 'amfi',
      }),
    ]);
    const byName = await investor.instruments.lookup.query({ query: 'Axis Children' });
    expect(byName.results.map((r) => r.amfiCode)).toEqual(['135762', '135763']);
    // 119063 is the demo's HDFCIDX: AMFI's and mfapi's candidates are that one instrument.
    const known = await investor.instruments.lookup.query({ query: '119063' });
    expect(known.results).toHaveLength(1);
    expect(known.results[0]).toMatchObject({ symbol: 'HDFCIDX', amfiCode: '119063', source: 'amfi' });
  });

  it('an admin adds GOOG; the fetcher prices it at once, and it is found by its identifiers', async () => {
    const added = await admin.admin.instruments.add.mutate({ source: 'yahoo', symbol: 'GOOG' });
    expect(added).toMatchObject({
      created: true,
      pricing: 'requested',
      instrument: { symbol: 'GOOG', currency: 'USD', exchange: 'XNAS', sources: { yahoo: 'GOOG' } },
    });
    const id = added.instrument.id;
    // Priced by the targeted request, not by the scheduler: its next period is minutes away, and GOOG is
    // held by nobody, so no full refresh would price it.
    await vi.waitFor(async () => {
      const { quotes } = await investor.instruments.quote.query({ instrumentIds: [id] });
      expect(quotes[0]).toMatchObject({
        price: '321.27',
        previousClose: '317.62',
        currency: 'USD',
        source: 'yahoo',
      });
    }, PRICED_WITHIN);
    expect(await investor.instruments.get.query({ instrumentId: id })).toMatchObject({ symbol: 'GOOG' });

    // The one resolution rule finds it by its Yahoo symbol and by its plain symbol (as quotes and imports do).
    await withTestDb(adding, async (db) => {
      for (const context of [{ source: 'yahoo' }, {}]) {
        const found = await instrumentResolution.resolveInstrument(db, { symbol: 'GOOG' }, context);
        expect(found).toMatchObject({ kind: 'found', instrument: { id } });
      }
    });
    // Adding it again changes nothing; the lookup now marks it known.
    expect(await admin.admin.instruments.add.mutate({ source: 'yahoo', symbol: 'GOOG' })).toMatchObject({
      created: false,
      instrument: { id },
    });
    const again = await investor.instruments.lookup.query({ query: 'GOOG' });
    expect(again.results.find((r) => r.symbol === 'GOOG')?.instrumentId).toBe(id);
    const audit = await admin.admin.audit.list.query({ entity: 'instrument', entityId: id });
    expect(audit.items.map((e) => e.action)).toEqual(['instrument.add']);
  });

  it('INSTRUMENT_REQUESTS=add: an investor’s request adds NFLX at once, and it is priced', async () => {
    const answer = await investor.instruments.request.mutate({ source: 'yahoo', symbol: 'NFLX' });
    expect(answer).toMatchObject({ outcome: 'added', pricing: 'requested', instrument: { symbol: 'NFLX' } });
    await vi.waitFor(async () => {
      const { quotes } = await investor.instruments.quote.query({ instrumentIds: [answer.instrument!.id] });
      expect(quotes[0]).toMatchObject({ price: '98.42', currency: 'USD' });
    }, PRICED_WITHIN);
    // Asked again, it is known.
    expect(await investor.instruments.request.mutate({ source: 'yahoo', symbol: 'NFLX' })).toMatchObject({
      outcome: 'known',
    });
    // What no source knows is refused, and nothing is added.
    await expectTRPCError(
      investor.instruments.request.mutate({ source: 'yahoo', symbol: 'NOSUCH' }),
      'BAD_REQUEST',
      'UNKNOWN_INSTRUMENT',
    );
  });

  it('INSTRUMENT_REQUESTS=review: requests wait for an admin, who approves one (priced) and rejects another', async () => {
    const first = await reviewInvestor.instruments.request.mutate({ source: 'amfi', symbol: '135762' });
    expect(first).toMatchObject({ outcome: 'pending', instrument: null });
    const requestId = first.request!.id;
    // Nothing was added yet; a second request for the same scheme joins the first.
    const lookup = await reviewInvestor.instruments.lookup.query({ query: '135762' });
    expect(lookup.results[0]!.instrumentId).toBeNull();
    const advisor = (await reviewing.login(DEMO_LOGINS.advisor)).client;
    const second = await advisor.instruments.request.mutate({ source: 'amfi', symbol: '135762' });
    expect(second.request!.id).toBe(requestId);

    const pending = await reviewAdmin.admin.instruments.requests.query({});
    expect(pending.items.map((r) => [r.id, r.sourceSymbol, r.candidate?.name])).toContainEqual([
      requestId,
      '135762',
      "Axis Children's Fund - Direct Plan - Growth Option",
    ]);

    const approved = await reviewAdmin.admin.instruments.approve.mutate({ requestId });
    expect(approved).toMatchObject({
      created: true,
      pricing: 'requested',
      request: { status: 'approved' },
      instrument: { symbol: '135762', amfiCode: '135762', isin: 'INF846K01WO1', currency: 'INR' },
    });
    await vi.waitFor(async () => {
      const { quotes } = await reviewInvestor.instruments.quote.query({
        instrumentIds: [approved.instrument.id],
      });
      expect(quotes[0]).toMatchObject({ price: '30.4829', currency: 'INR', kind: 'nav' });
    }, PRICED_WITHIN);
    await expectTRPCError(reviewAdmin.admin.instruments.approve.mutate({ requestId }), 'CONFLICT');
    const mine = await reviewInvestor.instruments.myRequests.query({});
    expect(mine.items.find((r) => r.id === requestId)).toMatchObject({
      status: 'approved',
      instrumentId: approved.instrument.id,
    });

    const other = await reviewInvestor.instruments.request.mutate({ source: 'yahoo', symbol: 'ABEC.DE' });
    expect(other.outcome).toBe('pending');
    const rejected = await reviewAdmin.admin.instruments.reject.mutate({
      requestId: other.request!.id,
      reason: 'hold the Nasdaq listing instead',
    });
    expect(rejected).toMatchObject({ status: 'rejected', reason: 'hold the Nasdaq listing instead' });
    expect((await reviewAdmin.admin.instruments.requests.query({ status: 'rejected' })).total).toBe(1);
    const audit = await reviewAdmin.admin.audit.list.query({ entity: 'instrument_request' });
    expect(audit.items.map((e) => e.action).sort()).toEqual([
      'instrument_request.approve',
      'instrument_request.open',
      'instrument_request.open',
      'instrument_request.reject',
    ]);
  });

  it('an admin updates and lists the catalogue; investors cannot use admin.instruments', async () => {
    const [goog] = (await admin.admin.instruments.list.query({ query: 'GOOG' })).items.filter(
      (i) => i.symbol === 'GOOG',
    );
    const updated = await admin.admin.instruments.update.mutate({
      instrumentId: goog!.id,
      name: 'Alphabet Inc. Class C',
      isin: 'US02079K1079',
      sources: { alphavantage: 'GOOG' },
    });
    expect(updated).toMatchObject({
      name: 'Alphabet Inc. Class C',
      isin: 'US02079K1079',
      sources: { yahoo: 'GOOG', alphavantage: 'GOOG' },
    });
    // An identifier another instrument holds is refused.
    await expectTRPCError(
      admin.admin.instruments.update.mutate({ instrumentId: goog!.id, sources: { yahoo: 'GOOGL' } }),
      'CONFLICT',
    );
    const page = await admin.admin.instruments.list.query({ limit: 5 });
    expect(page.items).toHaveLength(5);
    expect(page.total).toBeGreaterThan(80);
    for (const call of [
      () => investor.admin.instruments.list.query({}),
      () => investor.admin.instruments.add.mutate({ source: 'yahoo', symbol: 'GOOGL' }),
      () => investor.admin.instruments.requests.query({}),
    ]) {
      await expectTRPCError(call(), 'NOT_FOUND');
    }
  });

  it('resolveAndAdd (for imports): a dry run lists what it would add, a real run adds and prices it', async () => {
    await withTestDb(adding, async (db) => {
      const log = pino({ level: 'silent' });
      const lookup = createInstrumentLookup({
        catalogue: createNatsCatalogueRequests(rig.broker.nc, rig.broker.js, rig.broker.names),
        reach: 'sources',
        timeoutMs: 30_000,
        now: () => new Date(),
        log,
      });
      const deps = { db, config: adding.config, now: () => new Date(), log } as unknown as ServiceDeps;
      const catalogue = createInstrumentCatalogue(deps, lookup);
      const adminId = (await users.findUserByEmail(db, DEMO_LOGINS.admin))!.id;
      const actor = { actorId: adminId, requestId: null };
      const LONG = 'X'.repeat(65);
      const symbols = [
        { symbol: 'GOOG', source: 'yahoo' },
        { symbol: 'GOOGL' },
        { symbol: 'GOOY', currency: 'USD' as const },
        { symbol: 'NOSUCH' },
        // Longer than any lookup query: known to no source, not an error.
        { symbol: LONG },
        { symbol: 'GOOG', source: 'yahoo' },
      ];
      const dry = await catalogue.resolveAndAdd(symbols, { dryRun: true, actor });
      expect(dry.map((r) => [r.symbol, r.status])).toEqual([
        ['GOOG', 'known'],
        ['GOOGL', 'known'],
        ['GOOY', 'would_add'],
        ['NOSUCH', 'not_found'],
        [LONG, 'not_found'],
      ]);
      expect(await instruments.listInstrumentsBySymbol(db, 'GOOY')).toEqual([]);

      const real = await catalogue.resolveAndAdd(symbols, { dryRun: false, actor });
      expect(real.map((r) => [r.symbol, r.status])).toEqual([
        ['GOOG', 'known'],
        ['GOOGL', 'known'],
        ['GOOY', 'added'],
        ['NOSUCH', 'not_found'],
        [LONG, 'not_found'],
      ]);
      const gooy = real[2]!;
      if (gooy.status !== 'added') throw new Error('GOOY was not added');
      expect(gooy.instrument).toMatchObject({ assetClass: 'etf', exchange: 'ARCX', currency: 'USD' });
      const audit = await auditLog.listAudit(db, {
        entity: 'instrument',
        entityId: gooy.instrument.id,
        limit: 5,
      });
      expect(audit.map((e) => [e.action, e.actorId, (e.after as { via?: string }).via])).toEqual([
        ['instrument.add', adminId, 'import'],
      ]);
    });
  });

  it('answers 503 when no fetcher answers the lookup', async () => {
    await rig.fetcher.stop();
    const failure = await expectTRPCError(
      investor.instruments.lookup.query({ query: 'AAPL' }),
      'SERVICE_UNAVAILABLE',
    );
    expect(failure.data?.httpStatus).toBe(503);
  });
});
