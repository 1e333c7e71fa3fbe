import { TRPCError } from '@trpc/server';
import type { ServerMetrics } from './server-metrics';

/** What the procedure middleware sees of one call, as tRPC v11 hands it over. */
interface CallInfo {
  readonly path: string;
  readonly type: 'query' | 'mutation' | 'subscription';
  next(): Promise<{ ok: true; data: unknown } | { ok: false; error: { code: string } }>;
}

/** When a live event's tick was published, by the event's stream sequence (see TickTimes). */
export interface TickLookup {
  tickPublishedAt(seq: number): number | undefined;
}

/** What the tRPC middleware records into: the server's families and the live events' tick times. */
export interface ProcedureObserver {
  readonly metrics: ServerMetrics;
  readonly ticks: TickLookup;
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

/** A tracked event's id (tRPC's tracked() envelope is [id, data, symbol]), as a stream sequence. */
function seqOf(item: unknown): number | undefined {
  if (!Array.isArray(item) || typeof item[0] !== 'string') return undefined;
  const seq = Number(item[0]);
  return Number.isSafeInteger(seq) ? seq : undefined;
}

/**
 * A subscription's events as they go to the subscriber: counted open while it runs, and each event's
 * latency from its tick's publish time observed as it leaves (for events a tick caused).
 */
async function* observedStream(
  stream: AsyncIterable<unknown>,
  procedure: string,
  observer: ProcedureObserver,
): AsyncGenerator<unknown> {
  const { metrics, ticks } = observer;
  metrics.liveSubscribers.inc({ procedure });
  try {
    for await (const item of stream) {
      const seq = seqOf(item);
      const tickAt = seq === undefined ? undefined : ticks.tickPublishedAt(seq);
      if (tickAt !== undefined) {
        metrics.tickToSubscriber.observe({ procedure }, Math.max(0, Date.now() - tickAt) / 1000);
      }
      yield item;
    }
  } catch (error) {
    // A stream's own failure (access withdrawn, session ended, queue overflow) bypasses the middleware.
    if (error instanceof TRPCError) metrics.trpcErrors.inc({ procedure, code: error.code });
    throw error;
  } finally {
    metrics.liveSubscribers.dec({ procedure });
  }
}

/**
 * The tRPC middleware's body: times each call, counts its error by tRPC code (a 5xx-class code included,
 * which the HTTP status of a batch cannot show), and wraps a subscription's stream. Without an observer
 * (tests calling procedures in-process) it only passes the call on.
 */
export async function observeCall<R extends Awaited<ReturnType<CallInfo['next']>>>(
  observer: ProcedureObserver | undefined,
  call: { readonly path: string; readonly type: CallInfo['type']; next(): Promise<R> },
): Promise<R> {
  if (!observer) return call.next();
  const { metrics } = observer;
  const procedure = call.path;
  const started = performance.now();
  const result = await call.next();
  metrics.trpcDuration.observe({ procedure, type: call.type }, (performance.now() - started) / 1000);
  if (!result.ok) {
    metrics.trpcErrors.inc({ procedure, code: result.error.code });
    return result;
  }
  if (call.type === 'subscription' && isAsyncIterable(result.data)) {
    return { ...result, data: observedStream(result.data, procedure, observer) };
  }
  return result;
}
