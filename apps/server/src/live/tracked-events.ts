import { TRPCError, tracked } from '@trpc/server';
import { toTRPCError } from '../trpc/to-trpc-error';
import { QueueOverflowError } from './coalescing-queue';

/** An event with its stream sequence (a LoggedEvent, a frame). */
export interface Sequenced<T> {
  readonly seq: number;
  readonly event: T;
}

/**
 * A live stream as tRPC subscription data: each event tracked by its stream sequence (the id the client
 * resumes from). Errors become typed tRPC errors here, since a generator's throws bypass the procedure
 * middleware (the access check on opening included): an overflowing queue is SERVICE_UNAVAILABLE (the client reconnects and catches up),
 * withdrawn access NOT_FOUND (the client stops).
 */
export async function* trackedEvents<T>(open: () => Promise<AsyncIterable<Sequenced<T>>>) {
  try {
    // Opening checks access: its refusal, too, must reach the client as NOT_FOUND.
    for await (const e of await open()) yield tracked(String(e.seq), e.event);
  } catch (error) {
    if (error instanceof QueueOverflowError) {
      throw new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: error.message, cause: error });
    }
    throw toTRPCError(error);
  }
}
