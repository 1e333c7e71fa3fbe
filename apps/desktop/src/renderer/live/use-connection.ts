import { useCallback, useEffect, useReducer, useRef } from 'react';
import { type ConnectionFacts, INITIAL_FACTS, nextFacts, type SocketEvent } from './connection-state';

/**
 * The connection indicator's facts as React state. Live events come many a second (every book frame,
 * every quote frame), and a state change for each re-rendered the whole desk — the book screen and all
 * its rows' comparisons — once more per frame, in a task of its own. So only the first event goes
 * through React state (the indicator says "live" with an age at once); later ones only record their
 * time, which the indicator reads when the desk re-renders on its 1-second clock (it shows whole
 * seconds) or on any other fact.
 */
export function useConnectionFacts(): [ConnectionFacts, (event: SocketEvent) => void] {
  const [facts, dispatch] = useReducer(
    (state: ConnectionFacts, event: SocketEvent) => nextFacts(state, event, Date.now()),
    INITIAL_FACTS,
  );
  const newestEventAt = useRef<number | null>(null);
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
  const report = useCallback((event: SocketEvent) => {
    if (event.type === 'event') {
      const first = newestEventAt.current === null;
      newestEventAt.current = Date.now();
      if (!first) return;
    }
    dispatch(event);
  }, []);
  return [facts.lastEventAt === null ? facts : { ...facts, lastEventAt: newestEventAt.current }, report];
}
