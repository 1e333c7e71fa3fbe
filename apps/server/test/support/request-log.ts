import type { RequestCounts } from '@tickfolio/testing';

/** The label of readiness probes: their 503 says "not ready", which is no failure of theirs. */
export const READINESS = 'readyz';

/** How one request ended: its status, no answer within the bound, or a failed connection. */
type Outcome = number | 'hung' | 'failed';

export interface RequestRecord {
  readonly label: string;
  readonly start: number;
  readonly end: number;
  readonly outcome: Outcome;
  readonly retryAfter: boolean;
}

/**
 * Every HTTP request a test's clients make, with its time and outcome. `fetch(label)` is a fetch for a
 * client (tRPC's links take one) that gives up after `boundMs` — the longest a caller should ever wait
 * for an answer — and records the request, the body read included.
 */
export class RequestLog {
  readonly records: RequestRecord[] = [];

  constructor(readonly boundMs: number) {}

  fetch(label: string): typeof fetch {
    return async (input, init) => {
      const start = Date.now();
      const bound = AbortSignal.timeout(this.boundMs);
      const signal = init?.signal ? AbortSignal.any([bound, init.signal]) : bound;
      const note = (outcome: Outcome, retryAfter = false) =>
        this.records.push({ label, start, end: Date.now(), outcome, retryAfter });
      try {
        const res = await fetch(input, { ...init, signal });
        const body = await res.arrayBuffer();
        note(res.status, res.headers.has('retry-after'));
        const nullBody = res.status === 204 || res.status === 205 || res.status === 304;
        return new Response(nullBody ? null : body, {
          status: res.status,
          statusText: res.statusText,
          headers: res.headers,
        });
      } catch (error) {
        // A caller's own abort (a client stopping) is no outcome of the server's.
        if (!bound.aborted && init?.signal?.aborted) throw error;
        note(bound.aborted ? 'hung' : 'failed');
        throw error;
      }
    };
  }

  /** The requests that started at or after `from`, by how they ended. */
  counts(from = 0): RequestCounts {
    const other: Record<string, number> = {};
    const hungBy: Record<string, number> = {};
    let ok = 0;
    let unavailable = 0;
    let unavailableWithRetryAfter = 0;
    let notReady = 0;
    let hung = 0;
    let failed = 0;
    let slowestMs = 0;
    const records = this.records.filter((r) => r.start >= from);
    for (const r of records) {
      slowestMs = Math.max(slowestMs, r.end - r.start);
      if (r.outcome === 'hung') {
        hung += 1;
        hungBy[r.label] = (hungBy[r.label] ?? 0) + 1;
      } else if (r.outcome === 'failed') failed += 1;
      else if (r.outcome >= 200 && r.outcome < 300) ok += 1;
      else if (r.outcome === 503 && r.label === READINESS) notReady += 1;
      else if (r.outcome === 503) {
        unavailable += 1;
        if (r.retryAfter) unavailableWithRetryAfter += 1;
      } else other[r.outcome] = (other[r.outcome] ?? 0) + 1;
    }
    return {
      total: records.length,
      ok,
      unavailable,
      unavailableWithRetryAfter,
      notReady,
      other,
      hung,
      hungBy,
      failed,
      slowestMs,
    };
  }

  /** The first request with this label that started at or after `from` and succeeded: when it ended. */
  firstSuccess(label: string, from: number): number | undefined {
    return this.records.find(
      (r) => r.label === label && r.start >= from && typeof r.outcome === 'number' && r.outcome < 300,
    )?.end;
  }
}
