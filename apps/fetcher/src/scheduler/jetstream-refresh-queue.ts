import type { JetStreamClient } from '@nats-io/jetstream';
import type { RefreshRequest, StreamNames } from '@tickfolio/bus';
import type { RefreshRequestQueue } from './refresh-requests';

/** REFRESH with the period id as message id: the stream's duplicate window keeps one request per period. */
export function createJetStreamRefreshQueue(js: JetStreamClient, names: StreamNames): RefreshRequestQueue {
  return {
    async enqueue(request: RefreshRequest) {
      const ack = await js.publish(names.refreshSubject, JSON.stringify(request), {
        msgID: request.periodId,
      });
      return { duplicate: ack.duplicate };
    },
  };
}
