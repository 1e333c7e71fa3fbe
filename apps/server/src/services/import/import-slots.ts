import { BusyError } from '../not-found';

/**
 * When a refused import may come back: a hint, not a promise. A 100,000-row dry run takes 15–19 s on two
 * small cores (docs/BENCHMARKS.md, "Imports"), most files far less, so a client retrying after 10 s
 * usually finds a slot.
 */
export const IMPORT_RETRY_AFTER_SECONDS = 10;

export interface ImportSlotLimits {
  /** Imports one principal may have running at once. */
  readonly perPrincipal: number;
  /** Imports running at once in this process. */
  readonly total: number;
}

/**
 * Slots for imports running in this process: per principal and in all. `enter` takes one or throws
 * BusyError (TOO_MANY_REQUESTS with Retry-After) before anything is read or written; the function it
 * returns gives the slot back and must be called once the import is over, however it ends.
 */
export function createImportSlots(limits: ImportSlotLimits) {
  const running = new Map<string, number>();
  let total = 0;

  return {
    enter(principalKey: string): () => void {
      const mine = running.get(principalKey) ?? 0;
      if (mine >= limits.perPrincipal) {
        throw new BusyError(
          `${mine} import(s) of yours are running (at most ${limits.perPrincipal} at once); retry when they are done`,
          IMPORT_RETRY_AFTER_SECONDS,
        );
      }
      if (total >= limits.total) {
        throw new BusyError(
          `the server is running its ${limits.total} imports at once; retry in a few seconds`,
          IMPORT_RETRY_AFTER_SECONDS,
        );
      }
      running.set(principalKey, mine + 1);
      total++;
      let left = false;
      return () => {
        if (left) return;
        left = true;
        total--;
        const now = (running.get(principalKey) ?? 1) - 1;
        if (now === 0) running.delete(principalKey);
        else running.set(principalKey, now);
      };
    },
  };
}
