const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

/**
 * The settings of every stream, in one place. No process configures them: the server and the fetcher
 * both set PRICES up, and each sets it to exactly this definition, so neither can change what the
 * other relies on (a duplicate window one process shortened would let the other's repeats through).
 */
export const STREAM_SETTINGS = {
  /** A repeated quote id is dropped for two minutes; prices stay a week for consumers that fall behind. */
  prices: { duplicateWindowMs: 2 * MINUTE_MS, maxAgeMs: 7 * DAY_MS },
  /** Every replica hears the max-deliveries advisory: the copy's id (the original sequence) keeps one. */
  pricesDeadLetter: { duplicateWindowMs: 10 * MINUTE_MS, maxAgeMs: 30 * DAY_MS },
  /** Events stay an hour for clients catching up; the valuer's event ids are de-duplicated for two minutes. */
  portfolio: { duplicateWindowMs: 2 * MINUTE_MS, maxAgeMs: 60 * MINUTE_MS },
} as const;
