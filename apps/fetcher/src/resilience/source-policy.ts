import {
  type BulkheadPolicy,
  bulkhead,
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  ExponentialBackoff,
  handleWhen,
  retry,
  TaskCancelledError,
  TimeoutStrategy,
  timeout,
} from 'cockatiel';
import { sleep as realSleep, type Sleep } from './sleep';
import { HttpStatusError, isRetryable, isSourceFault, SourceTimeoutError } from './source-errors';
import { type RateLimit, SourceGate } from './source-gate';

export interface SourcePolicyOptions {
  readonly sourceId: string;
  /** Extra attempts after the first, for transient failures only. */
  readonly retries: number;
  /** Exponential backoff with decorrelated jitter between attempts. */
  readonly backoff: { readonly initialDelayMs: number; readonly maxDelayMs: number };
  /** This many consecutive source faults open the circuit for `openMs`, then one trial call half-opens it. */
  readonly circuitBreaker: { readonly consecutiveFailures: number; readonly openMs: number };
  /** Per attempt, including reading the body. */
  readonly timeoutMs: number;
  readonly rateLimit?: RateLimit;
  /** Retry-After longer than this is not waited for: the call fails and the source stays paused. */
  readonly maxRetryAfterMs: number;
  /** Requests in flight to this source at once (more wait in a queue). */
  readonly concurrency?: number;
  readonly now?: () => number;
  readonly sleep?: Sleep;
}

export type CircuitStatus = 'closed' | 'open' | 'half-open' | 'isolated';

export interface SourcePolicyStats {
  attempts: number;
  retries: number;
  timeouts: number;
  retryAfterPauses: number;
  circuitOpens: number;
}

/**
 * One source's resilience: every call runs through bulkhead → retry (backoff + jitter) → circuit breaker
 * → gate (rate limit, Retry-After pause) → timeout. Retries never outlive the caller's signal.
 */
export interface SourcePolicy {
  readonly sourceId: string;
  execute<T>(attempt: (signal: AbortSignal) => Promise<T>, signal: AbortSignal): Promise<T>;
  readonly circuit: CircuitStatus;
  readonly stats: Readonly<SourcePolicyStats>;
}

const CIRCUIT_STATUS: Record<CircuitState, CircuitStatus> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Isolated]: 'isolated',
};

export function createSourcePolicy(options: SourcePolicyOptions): SourcePolicy {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? realSleep;
  const stats: SourcePolicyStats = {
    attempts: 0,
    retries: 0,
    timeouts: 0,
    retryAfterPauses: 0,
    circuitOpens: 0,
  };
  const gate = new SourceGate(options.sourceId, options.rateLimit, options.maxRetryAfterMs, now, sleep);

  const retryPolicy = retry(handleWhen(isRetryable), {
    maxAttempts: options.retries,
    backoff: new ExponentialBackoff({
      initialDelay: options.backoff.initialDelayMs,
      maxDelay: options.backoff.maxDelayMs,
    }),
  });
  retryPolicy.onRetry(() => stats.retries++);
  const breaker = circuitBreaker(handleWhen(isSourceFault), {
    halfOpenAfter: options.circuitBreaker.openMs,
    breaker: new ConsecutiveBreaker(options.circuitBreaker.consecutiveFailures),
  });
  breaker.onBreak(() => stats.circuitOpens++);
  const perAttemptTimeout = timeout(options.timeoutMs, TimeoutStrategy.Aggressive);
  const limit: BulkheadPolicy | undefined = options.concurrency
    ? bulkhead(options.concurrency, Number.MAX_SAFE_INTEGER)
    : undefined;

  async function oneAttempt<T>(
    attempt: (signal: AbortSignal) => Promise<T>,
    signal: AbortSignal,
  ): Promise<T> {
    await gate.pass(signal);
    stats.attempts++;
    try {
      return await perAttemptTimeout.execute(({ signal: attemptSignal }) => attempt(attemptSignal), signal);
    } catch (error) {
      if (error instanceof TaskCancelledError) {
        if (signal.aborted) throw signal.reason;
        stats.timeouts++;
        throw new SourceTimeoutError(`${options.sourceId}: no answer within ${options.timeoutMs} ms`);
      }
      if (error instanceof HttpStatusError && error.retryAfterMs !== undefined) {
        stats.retryAfterPauses++;
        gate.blockFor(error.retryAfterMs);
      }
      throw error;
    }
  }

  function run<T>(attempt: (signal: AbortSignal) => Promise<T>, signal: AbortSignal): Promise<T> {
    return retryPolicy.execute(
      ({ signal: retrySignal }) => breaker.execute(() => oneAttempt(attempt, retrySignal), retrySignal),
      signal,
    );
  }

  return {
    sourceId: options.sourceId,
    execute: (attempt, signal) =>
      limit ? limit.execute(() => run(attempt, signal), signal) : run(attempt, signal),
    get circuit() {
      return CIRCUIT_STATUS[breaker.state];
    },
    stats,
  };
}
