import { startTransition, useEffect, useState } from 'react';

/**
 * The time, updated every `everyMs`: ages on screen ("12s") advance without any new data. The tick is a
 * transition: it re-renders the whole desk (every row of the book shows an age), which React then does
 * in slices that yield to the browser rather than in one task.
 */
export function useNow(everyMs = 1_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => startTransition(() => setNow(Date.now())), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
