import type { AuthSession } from '../api/auth-session';
import { sessionEnded } from '../errors';
import type { ConnectionState } from './dashboard-state';

export interface TrpcConnectionState {
  readonly state: 'idle' | 'connecting' | 'pending';
  readonly error: Error | null;
}

/** tRPC's subscription connection states, as the dashboard names them. */
export function connectionOf(
  state: TrpcConnectionState,
  wasLive: boolean,
): { state: ConnectionState; error?: string } {
  switch (state.state) {
    case 'pending':
      return { state: 'live' };
    case 'idle':
      return { state: 'stopped' };
    case 'connecting':
      return {
        state: wasLive || state.error ? 'reconnecting' : 'connecting',
        ...(state.error ? { error: state.error.message } : {}),
      };
  }
}

/**
 * An onConnectionStateChange handler: reports the state to the dashboard, and gives up when a
 * failed token refresh has removed the session (reconnecting cannot help then).
 */
export function connectionHandler(
  auth: AuthSession,
  now: () => number,
  dispatch: (event: { type: 'connection'; at: number; state: ConnectionState; error?: string }) => void,
  fail: (error: unknown) => void,
  isStopped: () => boolean,
) {
  let wasLive = false;
  return (state: TrpcConnectionState) => {
    const next = connectionOf(state, wasLive);
    wasLive ||= next.state === 'live';
    dispatch({ type: 'connection', at: now(), ...next });
    if (!state.error) return;
    void auth.current().then((session) => {
      if (!session && !isStopped()) {
        fail(sessionEnded());
      }
    });
  };
}
