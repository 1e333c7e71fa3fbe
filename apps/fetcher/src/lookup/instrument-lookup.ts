import type { InstrumentCandidate, LookupReply, LookupRequest, LookupSourceOutcome } from '@tickfolio/bus';
import { redactUrl } from '../resilience/source-errors';
import type { InstrumentSearchAdapter } from '../sources/search-adapter';

/** Time kept back from the asker's timeout for merging and the reply's way back. */
const REPLY_MARGIN_MS = 250;

/**
 * One instrument however many sources found it: a mutual fund by its AMFI scheme code (AMFI's list and
 * mfapi name the same codes), a listing by its symbol at the source that found it.
 */
function identity(c: InstrumentCandidate): string {
  return c.amfiCode !== null ? `amfi:${c.amfiCode}` : `${c.source}:${c.sourceSymbol}`;
}

/** The first finder's fields stay (sources are asked best first); later ones add their symbols and an ISIN. */
function merge(first: InstrumentCandidate, later: InstrumentCandidate): InstrumentCandidate {
  return {
    ...first,
    isin: first.isin ?? later.isin,
    sources: { ...later.sources, ...first.sources },
  };
}

/** Whether the query names the candidate exactly (its symbol, ISIN or scheme code), not by a fragment. */
function exact(c: InstrumentCandidate, query: string): boolean {
  const q = query.trim().toUpperCase();
  return [c.symbol, c.sourceSymbol, c.isin, c.amfiCode].some((v) => v !== null && v.toUpperCase() === q);
}

function failureMessage(error: unknown): string {
  const text = error instanceof Error ? redactUrl(error.message) : String(error);
  return text.slice(0, 300);
}

/**
 * The fetcher's answer to a lookup: every search source asked at once, each within the asker's time
 * (less a margin), so a slow or failing source costs its candidates, never the answer. Candidates are
 * merged across sources, exact matches first, then in source order (the order of `searchers`) and each
 * source's own order; every source's outcome is reported.
 */
export function createInstrumentLookup(searchers: readonly InstrumentSearchAdapter[]) {
  return async function lookup(request: LookupRequest): Promise<LookupReply> {
    const signal = AbortSignal.timeout(Math.max(request.timeoutMs - REPLY_MARGIN_MS, 50));
    const answers = await Promise.all(
      searchers.map(async (searcher) => {
        try {
          return { searcher, found: await searcher.search(request.query, request.limit, signal) };
        } catch (error) {
          return { searcher, error };
        }
      }),
    );
    const byIdentity = new Map<string, InstrumentCandidate>();
    const sources: LookupSourceOutcome[] = [];
    for (const answer of answers) {
      if ('error' in answer) {
        sources.push({
          source: answer.searcher.id,
          outcome: 'failed',
          message: failureMessage(answer.error),
        });
        continue;
      }
      sources.push({ source: answer.searcher.id, outcome: 'answered' });
      for (const candidate of answer.found) {
        const key = identity(candidate);
        const seen = byIdentity.get(key);
        byIdentity.set(key, seen ? merge(seen, candidate) : candidate);
      }
    }
    const merged = [...byIdentity.values()];
    const ranked = [
      ...merged.filter((c) => exact(c, request.query)),
      ...merged.filter((c) => !exact(c, request.query)),
    ];
    return { candidates: ranked.slice(0, request.limit), sources };
  };
}
