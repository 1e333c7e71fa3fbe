import { describe, expect, it } from 'vitest';
import { ValueWindows } from './value-windows';

describe('value windows', () => {
  it('starts a window at its oldest sample inside it, one sample a second, by key or by its series', () => {
    const windows = new ValueWindows(1000);
    const series = windows.seriesOf('o');
    for (let s = 0; s < 10; s++) {
      // Four evaluations a second: only the first of each second is a sample.
      for (let q = 0; q < 4; q++)
        windows.record(q % 2 ? 'o' : series, s * 1000 + q * 250, BigInt(s * 10 + q), 5000);
    }
    // At 9.75 s a 5 s window starts at 4.75 s: the first sample at or after it is the one at 5 s.
    expect(windows.startOf('o', 9750, 5000)).toBe(50n);
    expect(windows.startOf(series, 9750, 2000)).toBe(80n);
    // Samples older than the longest window are passed over until the next one drops them.
    expect(windows.startOf('o', 12_000, 5000)).toBe(70n);
    windows.record('o', 12_000, 999n, 5000);
    expect(series.samples[0]!.at).toBe(7000);
    expect(windows.startOf('other', 12_000, 5000)).toBeUndefined();
  });

  it('lists the starts a window takes after its current one, each with when it takes over', () => {
    const windows = new ValueWindows(1000);
    const series = windows.seriesOf('o');
    windows.record(series, 1000, 10n, 5000);
    windows.record(series, 4000, 40n, 5000);
    windows.record(series, 5000, 50n, 5000);
    // At 5 s a 5 s window starts at the sample of 1 s, until 6 s; then at the one of 4 s, until 9 s; then
    // at the one of 5 s.
    expect(windows.laterStarts(series, 5000, 5999, 5000)).toEqual([]);
    expect(windows.laterStarts(series, 5000, 6001, 5000)).toEqual([{ fromMs: 6001, value: 40n }]);
    expect(windows.startOf(series, 6000, 5000)).toBe(10n);
    expect(windows.startOf(series, 6001, 5000)).toBe(40n);
    expect(windows.laterStarts(series, 5000, 60_000, 5000)).toEqual([
      { fromMs: 6001, value: 40n },
      { fromMs: 9001, value: 50n },
    ]);
    // From 6.001 s on, the start at 4 s is the current one.
    expect(windows.laterStarts(series, 6001, 60_000, 5000)).toEqual([{ fromMs: 9001, value: 50n }]);
  });
});
