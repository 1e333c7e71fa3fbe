import { connect } from '@nats-io/transport-node';
import { type InstrumentCandidate, serveInstrumentLookup, streamNames } from '@tickfolio/bus';
import type { ApiServerInfo } from './api-server';

/** Whether the query names the candidate: its symbol, a source's symbol, or a word of its name. */
function matches(candidate: InstrumentCandidate, query: string): boolean {
  const q = query.trim().toUpperCase();
  return (
    candidate.symbol.toUpperCase().startsWith(q) ||
    Object.values(candidate.sources).some((s) => s.toUpperCase() === q) ||
    candidate.name.toUpperCase().includes(q)
  );
}

/**
 * Stands in for the fetchers' side of the symbol lookup on the shared server's broker: answers every
 * lookup with the given candidates that match the query, as one source called `source` would. The
 * server cannot tell it from a fetcher (the same subject, queue group and reply schema), so the
 * catalogue's lookup and requests run for real without a fetcher process or a provider.
 */
export async function serveLookupAnswers(
  server: Pick<ApiServerInfo, 'natsUrl' | 'streamPrefix'>,
  candidates: readonly InstrumentCandidate[],
  source = 'yahoo',
) {
  const nc = await connect({ servers: server.natsUrl, noAsyncTraces: true });
  const log = { warn: () => undefined, error: () => undefined };
  const served = serveInstrumentLookup(
    nc,
    streamNames(server.streamPrefix),
    async (request) => ({
      candidates: candidates.filter((c) => matches(c, request.query)).slice(0, request.limit),
      sources: [{ source, outcome: 'answered' }],
    }),
    log,
  );
  // The subscription is registered with the broker before the first lookup can be asked.
  await nc.flush();
  return {
    async close() {
      await served.stop();
      await nc.close();
    },
  };
}
