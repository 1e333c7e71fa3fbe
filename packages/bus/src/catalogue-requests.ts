import type { JetStreamClient } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { BusLogger } from './bus-logger';
import {
  LOOKUP_QUEUE,
  type LookupReply,
  type LookupRequest,
  lookupReplySchema,
  lookupRequestSchema,
} from './instrument-lookup';
import { type InstrumentsRefreshRequest, MAX_INSTRUMENTS_PER_REFRESH } from './refresh-request';
import type { StreamNames } from './stream-names';

/** No fetcher answered a lookup: none is running, or none answered in time, or its answer was unreadable. */
export class LookupUnavailableError extends Error {
  override readonly name = 'LookupUnavailableError';
}

/** What the server asks of the fetchers about the catalogue: symbol lookups, and pricing new instruments. */
export interface CatalogueRequests {
  /**
   * Asks one fetcher to look the query up at its sources. Null when this bus has no fetcher to ask (the
   * in-process bus: embedded mode looks up the local catalogue only). Throws LookupUnavailableError when
   * no fetcher answers within request.timeoutMs.
   */
  lookup(request: LookupRequest): Promise<LookupReply | null>;
  /**
   * Queues a targeted refresh of these instruments on REFRESH, for whichever fetcher takes it. False
   * when there is nobody to queue it for (the in-process bus); throws when the broker refuses it.
   */
  requestPrices(instrumentIds: readonly string[], at: Date): Promise<boolean>;
}

const encoder = new TextEncoder();

/** The server's side over NATS: core request/reply for lookups, a JetStream publish for prices. */
export function createNatsCatalogueRequests(
  nc: NatsConnection,
  js: JetStreamClient,
  names: StreamNames,
): CatalogueRequests {
  return {
    async lookup(request) {
      const body = JSON.stringify(lookupRequestSchema.parse(request));
      let data: unknown;
      try {
        // No responders answers at once (the broker knows nobody subscribes); silence ends at the timeout.
        const reply = await nc.request(names.lookupSubject, body, { timeout: request.timeoutMs });
        data = reply.json();
      } catch (error) {
        throw new LookupUnavailableError('no fetcher answered the lookup', { cause: error });
      }
      const parsed = lookupReplySchema.safeParse(data);
      if (!parsed.success) {
        throw new LookupUnavailableError('a fetcher answered the lookup unreadably', { cause: parsed.error });
      }
      return parsed.data;
    },
    async requestPrices(instrumentIds, at) {
      // A request names at most MAX_INSTRUMENTS_PER_REFRESH: more go as several, which replicas share.
      for (let i = 0; i < instrumentIds.length; i += MAX_INSTRUMENTS_PER_REFRESH) {
        const request: InstrumentsRefreshRequest = {
          type: 'refresh.instruments',
          instrumentIds: instrumentIds.slice(i, i + MAX_INSTRUMENTS_PER_REFRESH),
          requestedAt: at.toISOString(),
        };
        await js.publish(names.instrumentsRefreshSubject, encoder.encode(JSON.stringify(request)));
      }
      return true;
    },
  };
}

/** What the fetcher answers a lookup with. */
export type LookupAnswerer = (request: LookupRequest) => Promise<LookupReply>;

/**
 * The fetcher's side: answers lookups in the fetchers' queue group until stopped. A request that does
 * not parse gets no answer (the asker times out), and one whose answer fails is logged and unanswered.
 */
export function serveInstrumentLookup(
  nc: NatsConnection,
  names: StreamNames,
  answer: LookupAnswerer,
  log: BusLogger,
): { stop(): Promise<void> } {
  const inFlight = new Set<Promise<void>>();
  const subscription = nc.subscribe(names.lookupSubject, {
    queue: LOOKUP_QUEUE,
    callback: (error, msg) => {
      if (error) {
        log.warn({ err: error }, 'lookup subscription failed');
        return;
      }
      let request: LookupRequest;
      try {
        request = lookupRequestSchema.parse(msg.json());
      } catch {
        log.warn({ subject: msg.subject }, 'unreadable lookup request dropped');
        return;
      }
      const work = answer(request)
        .then((reply) => {
          msg.respond(encoder.encode(JSON.stringify(lookupReplySchema.parse(reply))));
        })
        .catch((err: unknown) => log.warn({ err, query: request.query }, 'lookup failed'))
        .finally(() => inFlight.delete(work));
      inFlight.add(work);
    },
  });
  return {
    async stop() {
      subscription.unsubscribe();
      await Promise.all(inFlight);
    },
  };
}
