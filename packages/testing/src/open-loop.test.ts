import { describe, expect, it } from 'vitest';
import { quantile, runOpenLoop, summarizeLatencies } from './open-loop';

describe('quantile', () => {
  it('takes the nearest rank of ascending values', () => {
    const values = Float64Array.from({ length: 100 }, (_, i) => i + 1);
    expect(quantile(values, 0.5)).toBe(50);
    expect(quantile(values, 0.99)).toBe(99);
    expect(quantile(values, 1)).toBe(100);
    expect(quantile(new Float64Array(), 0.5)).toBe(0);
    expect(summarizeLatencies([3, 1, 2])).toEqual({ p50: 2, p90: 3, p99: 3, p999: 3, max: 3 });
  });
});

describe('runOpenLoop', () => {
  it('sends every due request whether or not earlier ones were answered', async () => {
    const sent: number[] = [];
    const result = await runOpenLoop({
      ratePerSecond: 400,
      durationMs: 250,
      send: async (i) => {
        sent.push(i);
        return i % 10 !== 0;
      },
    });
    expect(result.due).toBe(100);
    expect(sent).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(result.answered).toBe(90);
    expect(result.failed).toBe(10);
    expect(result.dropped).toBe(0);
  });

  it('times a request from when it was due, so a stall shows in every request that waited behind it', async () => {
    // The target answers nothing until the 40th request has been sent (a stall of about 100 ms), then
    // everything at once. A closed-loop client would see one slow request; here the first 40 are each
    // at least as late as the gap from their due time to the release.
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const result = await runOpenLoop({
      ratePerSecond: 400,
      durationMs: 250,
      send: async (i) => {
        if (i === 40) release();
        await gate;
        return true;
      },
    });
    expect(result.answered).toBe(100);
    // Request 0 was due 100 ms (40 intervals of 2.5 ms) before the release.
    expect(result.latencyMs.max).toBeGreaterThanOrEqual(97);
    expect(result.latencyMs.p50).toBeGreaterThan(0);
  });

  it('drops what is due beyond the in-flight bound, and says so', async () => {
    const result = await runOpenLoop({
      ratePerSecond: 400,
      durationMs: 100,
      maxInFlight: 5,
      send: () => new Promise<boolean>((resolve) => setTimeout(() => resolve(true), 150)),
    });
    expect(result.due).toBe(40);
    expect(result.answered).toBe(5);
    expect(result.dropped).toBe(35);
  });

  it('waits for the next due time asleep, so it does not take a core from the server it measures', async () => {
    // A generator that spins between sends keeps its event loop busy all the time (utilization near 1)
    // and holds a core; one that sleeps is busy only while it sends. The bound is loose because a loaded
    // machine slows the sends too.
    const result = await runOpenLoop({ ratePerSecond: 1000, durationMs: 600, send: async () => true });
    expect(result.answered).toBe(600);
    expect(result.loopUtilization).toBeLessThan(0.5);
    expect(result.sendLatenessMs.p50).toBeGreaterThanOrEqual(0);
  });
});
