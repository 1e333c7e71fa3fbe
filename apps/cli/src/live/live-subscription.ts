import type { AuthSession } from '../api/auth-session';
import { connectionHandler } from './connection';
import type { ConnectionState } from './dashboard-state';

/** What a feed's `open` gets: whether the feed has stopped, and how to fail it. */
export interface LiveSubscriptionContext {
  readonly isStopped: () => boolean;
  /** Fails the feed, unless it has already stopped. */
  readonly fail: (error: unknown) => void;
  /** The subscription's connection-state and error callbacks. */
  readonly callbacks: {
    readonly onConnectionStateChange: ReturnType<typeof connectionHandler>;
    readonly onError: (error: unknown) => void;
  };
}

/**
 * Runs one live feed: `open` starts its reads and its subscription; the returned function stops the
 * feed (nothing is dispatched or failed after that) and unsubscribes.
 */
export function startLiveSubscription(
  auth: AuthSession,
  now: () => number,
  dispatch: (event: { type: 'connection'; at: number; state: ConnectionState; error?: string }) => void,
  fail: (error: unknown) => void,
  open: (context: LiveSubscriptionContext) => { unsubscribe(): void },
): () => void {
  let stopped = false;
  const isStopped = () => stopped;
  const failUnlessStopped = (error: unknown) => {
    if (!stopped) fail(error);
  };
  const subscription = open({
    isStopped,
    fail: failUnlessStopped,
    callbacks: {
      onConnectionStateChange: connectionHandler(auth, now, dispatch, fail, isStopped),
      onError: failUnlessStopped,
    },
  });
  return () => {
    stopped = true;
    subscription.unsubscribe();
  };
}
