import { serveLookupAnswers } from '@tickfolio/api/testing';
import { DEMO_LOGINS, DEMO_PASSWORD } from '@tickfolio/db/demo';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { cliLogin, removeTempConfigDirs, runCli, tempConfigDir } from './support/run-cli';

/** What a Yahoo search would report for Netflix, which the demo catalogue lacks. */
const NETFLIX = {
  symbol: 'NFLX',
  name: 'Netflix, Inc.',
  exchange: 'XNAS',
  currency: 'USD',
  assetClass: 'stock',
  isin: null,
  amfiCode: null,
  source: 'yahoo',
  sourceSymbol: 'NFLX',
  sources: { yahoo: 'NFLX' },
} as const;

/** One the catalogue has: the lookup marks it as in the catalogue. */
const APPLE = {
  ...NETFLIX,
  symbol: 'AAPL',
  name: 'Apple Inc.',
  sourceSymbol: 'AAPL',
  sources: { yahoo: 'AAPL' },
};

describe('instruments search and add, and quotes of unknown symbols, against a real server', () => {
  const server = inject('apiServer');
  let dir: string;
  const cli = (args: string[]) => runCli(args, { configDir: dir, server: server.url });

  beforeAll(async () => {
    dir = await tempConfigDir();
    await cliLogin(dir, server.url, DEMO_LOGINS.investor, DEMO_PASSWORD);
  });
  afterAll(async () => {
    await removeTempConfigDirs();
  });

  it('searches the sources, adds what they know, and says when it is there already', async () => {
    const lookup = await serveLookupAnswers(server, [NETFLIX, APPLE]);
    try {
      const [found, table, known] = await Promise.all([
        cli(['instruments', 'search', 'netflix', '--json']),
        cli(['instruments', 'search', 'netflix']),
        cli(['instruments', 'search', 'AAPL', '--json']),
      ]);
      expect(found.code, found.stderr).toBe(0);
      const answer = JSON.parse(found.stdout);
      expect(answer).toMatchObject({ query: 'netflix', reach: 'sources' });
      expect(answer.results).toContainEqual({
        ...NETFLIX,
        instrumentId: null,
        inCatalogue: false,
      });
      expect(table.stdout).toMatch(/Symbol\s+Name\s+Exchange\s+Ccy\s+Class\s+Source\s+Catalogue/);
      expect(table.stdout).toMatch(/NFLX\s+Netflix, Inc\.\s+XNAS\s+USD\s+stock\s+yahoo NFLX\s+no/);
      expect(table.stdout).toContain('Add one with: tickfolio instruments add yahoo NFLX');
      const apple = JSON.parse(known.stdout).results.find((r: { symbol: string }) => r.symbol === 'AAPL');
      expect(apple).toMatchObject({ inCatalogue: true, instrumentId: expect.any(String) });

      // The shared server adds investors' requests at once (INSTRUMENT_REQUESTS=add, its default); with
      // no fetcher's REFRESH stream to ask, the server says it cannot have it priced at once.
      const added = await cli(['instruments', 'add', 'yahoo', 'NFLX']);
      expect(added).toMatchObject({
        code: 0,
        stdout:
          'Added NFLX (Netflix, Inc., XNAS, USD) to the catalogue; it is priced from the next refresh.\n',
      });
      const again = await cli(['instruments', 'add', 'yahoo', 'NFLX']);
      expect(again.stdout).toBe('NFLX (Netflix, Inc., XNAS, USD) is in the catalogue already.\n');
      const unknown = await cli(['instruments', 'add', 'yahoo', 'NOPE']);
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toContain('yahoo does not know the symbol NOPE');
    } finally {
      await lookup.close();
    }

    // No fetcher to ask: the catalogue's matches, and a sentence saying so.
    const alone = await cli(['instruments', 'search', 'netflix']);
    expect(alone.code, alone.stderr).toBe(0);
    expect(alone.stdout).toMatch(/NFLX\s+Netflix, Inc\.\s+XNAS\s+USD\s+stock\s+yes/);
    expect(alone.stderr).toContain(
      "No price source answered (is a fetcher running?): these are the catalogue's matches only.",
    );
  });

  it('quotes what it knows and reports each unknown symbol on its own row and in `missing`', async () => {
    const [json, table, none] = await Promise.all([
      cli(['prices', 'quote', 'AAPL', 'INFY.NS', '--json']),
      cli(['prices', 'quote', 'AAPL', 'INFY.NS']),
      cli(['prices', 'quote', 'INFY.NS']),
    ]);
    expect(json.code, json.stderr).toBe(0);
    const quotes = JSON.parse(json.stdout);
    expect(quotes.quotes.map((q: { symbol: string }) => q.symbol)).toEqual(['AAPL']);
    expect(quotes.missing).toEqual(['INFY.NS']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/AAPL\s+\d+\.\d+\s+USD/);
    expect(table.stdout).toMatch(/INFY\.NS\s+unknown symbol/);
    expect(table.stderr).toContain('No instrument with the symbol "INFY.NS".');
    expect(table.stderr).toContain('tickfolio instruments search');
    expect(none.code).toBe(1);
    expect(none.stdout).toMatch(/INFY\.NS\s+unknown symbol/);
  });

  it('prices history -n keeps the newest prices of the range', async () => {
    const all = JSON.parse((await cli(['prices', 'history', 'AAPL', '--json'])).stdout);
    expect(all.points.length).toBeGreaterThan(2);
    const newest = await cli(['prices', 'history', 'AAPL', '-n', '2', '--json']);
    expect(newest.code, newest.stderr).toBe(0);
    expect(JSON.parse(newest.stdout).points).toEqual(all.points.slice(-2));
  });
});
