import { DeliverPolicy, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { headers } from '@nats-io/transport-node';
import { parseBusEvent } from './bus-events';
import type { BusLogger } from './bus-logger';
import { runConsumeLoop } from './consume-loop';
import { HEADER } from './jetstream-headers';
import type { LoggedEvent, PortfolioEventLog } from './ports';
import type { StreamNames } from './stream-names';
import { ensurePortfolioStream, type StreamReplication } from './topology';

const decoder = new TextDecoder();

/** A PORTFOLIO message as the ports see it; undefined (logged) when it is not one of the events. */
export function toLoggedEvent(
  m: { seq: number; subject: string; data: Uint8Array },
  names: StreamNames,
  h: { get(name: string): string } | undefined,
  log: BusLogger,
): LoggedEvent | undefined {
  const event = parseBusEvent(decoder.decode(m.data));
  if (!event) {
    log.warn({ seq: m.seq, subject: m.subject }, 'unreadable PORTFOLIO event skipped');
    return undefined;
  }
  const tick = Number(h?.get(HEADER.tickPublishedAt) || Number.NaN);
  return {
    seq: m.seq,
    subject: names.unprefixed(m.subject),
    event,
    origin: h?.get(HEADER.origin) ?? '',
    ...(Number.isFinite(tick) ? { tickPublishedAtMs: tick } : {}),
  };
}

/** PORTFOLIO over JetStream: events carry their replica in a header; followers read an ordered consumer. */
export function createJetStreamPortfolioLog(
  js: JetStreamClient,
  jsm: JetStreamManager,
  names: StreamNames,
  replication: StreamReplication,
  origin: string,
  log: BusLogger,
  /**
   * For a process that needs the events only every so often (a notifier process: it evaluates in
   * batches): `follow` pulls what has arrived once per this many ms instead of taking each event as it
   * comes (paced-fetch.ts). Unset, events are followed as they come, as the live path needs.
   */
  followEveryMs?: number,
): PortfolioEventLog {
  const stream = names.portfolio.name;
  const lastSeq = async () => (await jsm.streams.info(stream)).state.last_seq;
  return {
    origin,
    async publish(subject, event, messageId, meta) {
      const h = headers();
      h.set(HEADER.origin, origin);
      if (meta?.tickPublishedAtMs !== undefined)
        h.set(HEADER.tickPublishedAt, String(meta.tickPublishedAtMs));
      await js.publish(names.prefixed(subject), JSON.stringify(event), { msgID: messageId, headers: h });
    },

    async follow(onEvent, signal) {
      const info = await jsm.streams.info(stream);
      let last = info.state.last_seq;
      const start = last;
      void runConsumeLoop(
        {
          name: 'PORTFOLIO relay',
          // Each start resumes after the last event delivered: nothing is missed or repeated.
          consumer: () =>
            js.consumers.get(stream, {
              deliver_policy: DeliverPolicy.StartSequence,
              opt_start_seq: last + 1,
            }),
          recover: () => ensurePortfolioStream(jsm, names, replication),
          ...(followEveryMs
            ? {
                pace: {
                  everyMs: followEveryMs,
                  // An ordered consumer has no acknowledgements to wait for: all that is queued is ready.
                  async waiting() {
                    const queued = (await lastSeq()) - last;
                    return { ready: queued, queued };
                  },
                },
              }
            : {}),
          // Behind when PORTFOLIO has events past the last one delivered: a new ordered consumer (on a
          // node that is up) resumes after it.
          behind: async () => (await lastSeq()) > last,
          async take(messages) {
            // An ordered consumer: nothing to acknowledge.
            for await (const m of messages) {
              last = m.seq;
              const event = toLoggedEvent(m, names, m.headers, log);
              if (event) onEvent(event);
            }
          },
          log,
        },
        signal,
      );
      return start;
    },

    async *read(filter, fromSeq, toSeq, signal) {
      let seq = fromSeq;
      while (seq <= toSeq && !signal.aborted) {
        const m = await jsm.direct.getMessage(stream, { seq, next_by_subj: names.prefixed(filter) });
        if (!m || m.seq > toSeq) return;
        const event = toLoggedEvent(m, names, m.header, log);
        if (event) yield event;
        seq = m.seq + 1;
      }
    },
  };
}
