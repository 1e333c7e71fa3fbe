/** The cache port: string values with a time to live. Redis in production, in memory when embedded. */
export interface Cache {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  /** Several values in one round trip (null where missing). */
  getMany(keys: readonly string[]): Promise<(string | null)[]>;
  /** Several values in one round trip (a pipeline on Redis). */
  setMany(entries: readonly { key: string; value: string }[], ttlSeconds: number): Promise<void>;
  del(...keys: string[]): Promise<void>;
  /** Throws when the cache cannot be reached (readiness). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
