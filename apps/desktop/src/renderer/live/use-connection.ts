import { useCallback, useEffect, useReducer } from 'react';
import { type ConnectionFacts, INITIAL_FACTS, nextFacts, type SocketEvent } from './connection-state';

/**
 * The connection indicator's facts as React state. Live events are counted here too, many a second,
 * but only the newest's time is kept: the indicator re-renders on its 1-second clock, not per event.
 */
export function useConnectionFacts(): [ConnectionFacts, (event: SocketEvent) => void] {
  const [facts, dispatch] = useReducer(
    (state: ConnectionFacts, event: SocketEvent) => nextFacts(state, event, Date.now()),
    INITIAL_FACTS,
  );
  useEffect(() => {
    const online = () => dispatch({ type: 'network', online: true });
    const offline = () => dispatch({ type: 'network', online: false });
    window.addEventListener('online', online);
    window.addEventListener('offline', offline);
    if (!navigator.onLine) offline();
    return () => {
      window.removeEventListener('online', online);
      window.removeEventListener('offline', offline);
    };
  }, []);
  return [facts, useCallback((event: SocketEvent) => dispatch(event), [])];
}
