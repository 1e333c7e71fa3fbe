import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import { headers } from '@nats-io/transport-node';
import { HEADER } from './jetstream-headers';
import type { DeadLetter, DeadLetterQueue } from './ports';
import { deadLetterSubject, type StreamNames } from './stream-names';

const decoder = new TextDecoder();

/** PRICES_DLQ: each copy under `dlq.<original subject>`, with where it came from and why in headers. */
export function createJetStreamDeadLetters(
  js: JetStreamClient,
  jsm: JetStreamManager,
  names: StreamNames,
): DeadLetterQueue {
  const stream = names.pricesDeadLetter.name;
  return {
    async add(entry) {
      const h = headers();
      h.set(HEADER.subject, entry.subject);
      h.set(HEADER.seq, String(entry.originalSeq));
      h.set(HEADER.reason, entry.reason.slice(0, 500));
      h.set(HEADER.deliveries, String(entry.deliveries));
      await js.publish(names.prefixed(deadLetterSubject(entry.subject)), entry.data, {
        msgID: `dlq:${entry.originalSeq}`,
        headers: h,
      });
    },

    async list(limit) {
      const info = await jsm.streams.info(stream);
      const found: DeadLetter[] = [];
      let seq = info.state.first_seq;
      // Direct get of "the next message from seq" steps over the gaps replays leave.
      while (found.length < limit && seq <= info.state.last_seq) {
        const m = await jsm.direct.getMessage(stream, {
          seq,
          next_by_subj: names.pricesDeadLetter.subjects[0]!,
        });
        if (!m) break;
        found.push({
          seq: m.seq,
          subject: m.header.get(HEADER.subject),
          originalSeq: Number(m.header.get(HEADER.seq)),
          reason: m.header.get(HEADER.reason),
          deliveries: Number(m.header.get(HEADER.deliveries)),
          failedAt: m.time.toISOString(),
          data: decoder.decode(m.data.subarray(0, 4096)),
        });
        seq = m.seq + 1;
      }
      return found;
    },

    async replay(seq) {
      const m = await jsm.direct.getMessage(stream, { seq });
      if (!m) return false;
      const subject = m.header.get(HEADER.subject);
      // A new message id: the original one may still be inside PRICES' de-duplication window.
      await js.publish(names.prefixed(subject), m.data, { msgID: `replay:${stream}:${seq}` });
      await jsm.streams.deleteMessage(stream, seq);
      return true;
    },
  };
}
