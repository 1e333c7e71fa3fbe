/**
 * Procedures one call of which costs the server far more than routing a request does: a password hash
 * (sign-up, sign-in, password change), a refresh-token lookup and rotation (refresh, sign-out), a whole
 * file (import), a symbol lookup at the price sources (several provider requests, through a fetcher). Each call of one takes `costlyCallPoints` from the per-IP limit; any other call takes 1.
 */
export const COSTLY_PROCEDURES: ReadonlySet<string> = new Set([
  'auth.register',
  'auth.login',
  'auth.refresh',
  'auth.logout',
  'auth.changePassword',
  'transactions.import',
  'instruments.lookup',
  'instruments.request',
  'admin.instruments.add',
]);

export interface CallPricing {
  /** What one call of the procedure at `path` takes from the per-IP limit. */
  call(path: string): number;
  /**
   * What an HTTP request takes from the per-IP limit: every tRPC call it carries at its price (so a
   * batch costs what its calls would cost one by one), any other request 1. A batch over the bound is
   * refused by tRPC before any of its calls runs, so it costs 1 as well.
   */
  request(calls: readonly string[] | null): number;
}

export function createCallPricing(settings: {
  readonly costlyCallPoints: number;
  readonly maxBatchSize: number;
}): CallPricing {
  const call = (path: string) => (COSTLY_PROCEDURES.has(path) ? settings.costlyCallPoints : 1);
  return {
    call,
    request(calls) {
      if (calls === null || calls.length > settings.maxBatchSize) return 1;
      return calls.reduce((points, path) => points + call(path), 0);
    },
  };
}
