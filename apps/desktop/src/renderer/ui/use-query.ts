import { useCallback, useEffect, useRef, useState } from 'react';
import { SessionEndedError } from '../api/desk-session';

/** What a screen shows while it loads one answer from the server. */
export interface QueryState<T> {
  readonly data: T | undefined;
  readonly error: Error | undefined;
  readonly loading: boolean;
  reload(): void;
}

/** A failure worth retrying by itself: the server unreachable or overloaded, not a refusal. */
export function isTransient(error: unknown): boolean {
  if (error instanceof SessionEndedError) return false;
  const code = (error as { data?: { code?: string } } | undefined)?.data?.code;
  return (
    code === undefined || code === 'SERVICE_UNAVAILABLE' || code === 'TOO_MANY_REQUESTS' || code === 'TIMEOUT'
  );
}

const RETRY_MS = 3_000;

/**
 * Loads `load()` when `key` changes, keeps the previous answer on screen while reloading, and retries
 * transient failures every few seconds, so a screen comes back by itself when the server does.
 */
export function useQuery<T>(key: string, load: () => Promise<T>): QueryState<T> {
  const [state, setState] = useState<{ data?: T; error?: Error; loading: boolean }>({ loading: true });
  const [attempt, setAttempt] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  // biome-ignore lint/correctness/useExhaustiveDependencies: key and attempt are what reload it.
  useEffect(() => {
    let live = true;
    let retry: ReturnType<typeof setTimeout> | undefined;
    setState((s) => ({ ...s, loading: true }));
    loadRef.current().then(
      (data) => live && setState({ data, loading: false }),
      (error: Error) => {
        if (!live) return;
        setState((s) => ({ data: s.data, error, loading: false }));
        if (isTransient(error)) retry = setTimeout(() => setAttempt((n) => n + 1), RETRY_MS);
      },
    );
    return () => {
      live = false;
      clearTimeout(retry);
    };
  }, [key, attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}

/** A sentence for an error on screen. */
export function describeError(error: Error, serverUrl: string): string {
  if (error instanceof SessionEndedError) return error.message;
  const code = (error as { data?: { code?: string } }).data?.code;
  if (code === 'NOT_FOUND') return 'Not found, or no longer assigned to you.';
  if (code === 'SERVICE_UNAVAILABLE') return 'The server is up but a service behind it is not; retrying.';
  if (code === 'TOO_MANY_REQUESTS') return 'Too many requests; waiting before trying again.';
  if (code === undefined) return `Cannot reach the server at ${serverUrl}; retrying every few seconds.`;
  return error.message;
}
