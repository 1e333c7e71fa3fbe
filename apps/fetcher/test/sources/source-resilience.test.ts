import { fixture, type ScriptedResponse } from '@tickfolio/testing';
import { describe, expect, it, vi } from 'vitest';
import { sleep } from '../../src/resilience/sleep';
import type { SourcePolicyOptions } from '../../src/resilience/source-policy';
import { createYahooChartSource } from '../../src/sources/yahoo-chart';
import { providerPerTest } from './provider-per-test';
import { testPolicy } from './test-policy';

const MUV2 = {
  instrumentId: '00000000-0000-4000-8000-000000000001',
  symbol: 'MUV2.DE',
  currency: 'EUR',
} as const;
const ok: ScriptedResponse = { body: fixture('yahoo-chart-v8-MUV2.DE-1d.json') };
const serverError: ScriptedResponse = { status: 500, body: 'Internal Server Error' };

const provider = providerPerTest();

/** Yahoo against a scripted server; `answer(n)` is the n-th answer overall (1-based). */
async function flakyYahoo(
  answer: (n: number) => ScriptedResponse,
  policy: Partial<SourcePolicyOptions> = {},
) {
  let n = 0;
  const server = await provider.start(() => answer(++n));
  const harness = testPolicy('yahoo', policy);
  const yahoo = createYahooChartSource({
    baseUrl: server.url,
    policy: harness.policy,
    now: () => harness.clock.now,
  });
  const fetchOnce = () => yahoo.fetchQuotes([MUV2], AbortSignal.timeout(10_000));
  return { ...harness, yahoo, fetchOnce, requests: () => server.requests.length };
}

describe('source resilience (policy around an adapter)', () => {
  it('waits out a 429 Retry-After before the next attempt, then succeeds', async () => {
    const t = await flakyYahoo((n) => (n === 1 ? { status: 429, headers: { 'retry-after': '7' } } : ok));
    const result = await t.fetchOnce();
    expect(result.quotes.map((q) => q.price)).toEqual(['608.8']);
    expect(t.requests()).toBe(2);
    expect(t.sleeps).toEqual([7000]);
    expect(t.policy.stats).toMatchObject({ retries: 1, retryAfterPauses: 1 });
  });

  it('gives up on a Retry-After beyond the maximum and holds the source for everyone until then', async () => {
    const t = await flakyYahoo(() => ({ status: 429, headers: { 'retry-after': '3600' } }), {
      maxRetryAfterMs: 60_000,
    });
    const first = await t.fetchOnce();
    expect(first.failures).toMatchObject([
      { reason: 'unavailable', message: expect.stringMatching(/rate limited/) },
    ]);
    const second = await t.fetchOnce();
    expect(second.failures).toMatchObject([{ reason: 'unavailable' }]);
    expect(t.requests()).toBe(1);
    expect(t.sleeps).toEqual([]);
  });

  it('retries a 500 with backoff and succeeds when the source recovers', async () => {
    const t = await flakyYahoo((n) => (n <= 2 ? serverError : ok));
    const result = await t.fetchOnce();
    expect(result.quotes).toHaveLength(1);
    expect(t.requests()).toBe(3);
  });

  it('opens the circuit after consecutive failures, fails fast while open, and half-opens after the break', async () => {
    let healthy = false;
    // Open long enough that the retry after the 4th failure meets it open on a loaded machine too.
    const t = await flakyYahoo(() => (healthy ? ok : serverError), {
      circuitBreaker: { consecutiveFailures: 4, openMs: 1000 },
    });
    const first = await t.fetchOnce(); // 1 attempt + 2 retries, all 500
    expect(first.failures).toMatchObject([
      { reason: 'unavailable', message: expect.stringMatching(/HTTP 500/) },
    ]);
    expect(t.requests()).toBe(3);
    const second = await t.fetchOnce(); // the 4th failure opens the circuit; the retry meets it open
    expect(second.failures).toMatchObject([{ reason: 'unavailable', message: 'circuit open' }]);
    expect(t.requests()).toBe(4);
    expect(t.policy.circuit).toBe('open');
    expect(t.policy.stats.circuitOpens).toBe(1);
    const whileOpen = await t.fetchOnce();
    expect(whileOpen.failures).toMatchObject([{ message: 'circuit open' }]);
    expect(t.requests()).toBe(4);

    healthy = true;
    await vi.waitFor(async () => expect((await t.fetchOnce()).quotes).toHaveLength(1), {
      timeout: 10_000,
      interval: 20,
    });
    expect(t.policy.circuit).toBe('closed');
  });

  it('does not retry a 4xx other than 429, nor count it against the circuit', async () => {
    const t = await flakyYahoo(() => ({ status: 403, body: 'Forbidden' }), {
      circuitBreaker: { consecutiveFailures: 1, openMs: 60_000 },
    });
    const result = await t.fetchOnce();
    expect(result.failures).toMatchObject([
      { reason: 'unavailable', message: expect.stringMatching(/HTTP 403/) },
    ]);
    expect(t.requests()).toBe(1);
    expect(t.policy.circuit).toBe('closed');
  });

  it('aborts an attempt that takes longer than the timeout, and retries it', async () => {
    // Long enough for each attempt's request to reach the provider on a loaded machine (both ends share
    // this process's event loop), short enough to keep the test quick.
    const timeoutMs = 500;
    const t = await flakyYahoo(() => ({ hang: true }), { timeoutMs, retries: 1 });
    const result = await t.fetchOnce();
    expect(result.failures).toMatchObject([
      { reason: 'unavailable', message: expect.stringMatching(`no answer within ${timeoutMs} ms`) },
    ]);
    expect(t.requests()).toBe(2);
    expect(t.policy.stats.timeouts).toBe(2);
  });

  it("stops at once, without retrying, when the caller's signal aborts", async () => {
    const t = await flakyYahoo(() => ({ hang: true }));
    const caller = new AbortController();
    const fetching = t.yahoo.fetchQuotes([MUV2], caller.signal);
    await vi.waitFor(() => expect(t.requests()).toBe(1), { timeout: 10_000, interval: 20 });
    caller.abort(new Error('shutting down'));
    await expect(fetching).rejects.toThrow('shutting down');
    expect(t.requests()).toBe(1);
  });

  it('fails a truncated JSON body as invalid without retrying or crashing', async () => {
    const body = fixture('yahoo-chart-v8-MUV2.DE-1d.json');
    const t = await flakyYahoo(() => ({ body: body.slice(0, body.length / 2) }));
    const result = await t.fetchOnce();
    expect(result.failures).toMatchObject([
      { reason: 'invalid', message: expect.stringMatching(/unreadable JSON/) },
    ]);
    expect(t.requests()).toBe(1);
  });

  it('retries a body cut off mid-stream (connection closed before Content-Length) and succeeds', async () => {
    const t = await flakyYahoo((n) => (n === 1 ? { ...ok, cutAfterBytes: 300 } : ok));
    const result = await t.fetchOnce();
    expect(result.quotes).toHaveLength(1);
    expect(t.requests()).toBe(2);
  });

  it('keeps to the per-source rate limit by waiting for the next window', async () => {
    const waits: number[] = [];
    const t = await flakyYahoo(() => ok, {
      rateLimit: { requests: 2, perSeconds: 0.1 },
      sleep: (ms, signal) => {
        waits.push(ms);
        return sleep(ms, signal);
      },
    });
    const requests = ['A', 'B', 'C'].map((symbol) => ({ ...MUV2, symbol }));
    const result = await t.yahoo.fetchQuotes(requests, AbortSignal.timeout(10_000));
    expect(result.quotes).toHaveLength(3);
    expect(waits.length).toBeGreaterThanOrEqual(1);
  });
});
