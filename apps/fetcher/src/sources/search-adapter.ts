import type { InstrumentCandidate } from '@tickfolio/bus';

/**
 * Looks instruments up at one source by ticker, name, ISIN or scheme code. Candidates come back in the
 * source's own order (its best match first), already in the catalogue's terms (asset class, currency,
 * MIC); the lookup merges several sources' answers.
 */
export interface InstrumentSearchAdapter {
  readonly id: string;
  /** Rejects when the source fails (the lookup reports that source as failed and goes on without it). */
  search(query: string, limit: number, signal: AbortSignal): Promise<InstrumentCandidate[]>;
}
