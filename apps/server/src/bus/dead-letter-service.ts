import type { DeadLetterQueue } from '@tickfolio/bus';

/** The admin's view of the dead-letter queue. */
export function createDeadLetterService(queue: DeadLetterQueue) {
  return {
    list: (limit: number) => queue.list(limit),
    /**
     * Sends the message back to the valuer on its original subject and removes it from the queue.
     * replayed: false when the queue has no such entry (already replayed, or expired).
     */
    async replay(seq: number) {
      return { seq, replayed: await queue.replay(seq) };
    },
  };
}
