import { createSourcePolicy, type SourcePolicyOptions } from '../../src/resilience/source-policy';

/**
 * A policy with tiny delays and a fake clock for Retry-After pauses: `sleeps` records each pause the
 * gate took and advances the clock by it, so no test waits for real.
 */
export function testPolicy(sourceId: string, overrides: Partial<SourcePolicyOptions> = {}) {
  const clock = { now: Date.parse('2026-11-25T12:00:00Z') };
  const sleeps: number[] = [];
  const policy = createSourcePolicy({
    sourceId,
    retries: 2,
    backoff: { initialDelayMs: 1, maxDelayMs: 5 },
    circuitBreaker: { consecutiveFailures: 5, openMs: 60_000 },
    timeoutMs: 5_000,
    maxRetryAfterMs: 120_000,
    now: () => clock.now,
    sleep: async (ms) => {
      sleeps.push(ms);
      clock.now += ms;
    },
    ...overrides,
  });
  return { policy, clock, sleeps };
}
