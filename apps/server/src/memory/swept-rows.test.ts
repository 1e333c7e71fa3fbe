import { describe, expect, it, vi } from 'vitest';
import { createSweptRows } from './swept-rows';

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** Rows over a table the test edits, on a clock it moves. */
function setup() {
  const table = new Map<string, number>([['u1', 1]]);
  const clock = { now: 0 };
  const load = vi.fn(async (keys: readonly string[]) => {
    const found = new Map<string, number>();
    for (const key of keys) if (table.has(key)) found.set(key, table.get(key)!);
    return found;
  });
  const rows = createSweptRows<number>({
    name: 'test',
    load,
    sweepMs: 10,
    maxAgeMs: 100,
    idleMs: 1_000,
    now: () => clock.now,
    log: { warn: () => {} },
  });
  return { table, clock, load, rows };
}

describe('swept rows', () => {
  it('reads a row once and uses it until it is older than the age limit', async () => {
    const { table, clock, load, rows } = setup();
    expect(await rows.get('u1')).toBe(1);
    table.set('u1', 2);
    clock.now = 100;
    expect(await rows.get('u1')).toBe(1);
    expect(load).toHaveBeenCalledTimes(1);
    clock.now = 101;
    expect(await rows.get('u1')).toBe(2);
    expect(await rows.get('nobody')).toBeUndefined();
  });

  it('reads a forgotten row again at once, and keeps no read that began before the forget', async () => {
    const { table, load, rows } = setup();
    expect(await rows.get('u1')).toBe(1);
    const slow = deferred<Map<string, number>>();
    load.mockReturnValueOnce(slow.promise);
    const racing = rows.getMany(['u1', 'u2']);
    await Promise.resolve();
    // Forgotten while that read was under way (a revocation announced after the read began).
    table.set('u1', 2);
    rows.forget('u1');
    slow.resolve(new Map([['u1', 1]]));
    await racing;
    expect(await rows.get('u1')).toBe(2);
  });

  it('sweeps every remembered row in one read, so rows stay young without a read per call', async () => {
    const { table, clock, load, rows } = setup();
    table.set('u2', 20);
    await rows.getMany(['u1', 'u2']);
    expect(load).toHaveBeenCalledTimes(1);
    table.set('u1', 3);
    rows.start();
    await vi.waitFor(() => expect(load.mock.calls.length).toBeGreaterThanOrEqual(2));
    rows.stop();
    expect(load.mock.calls[1]![0]).toEqual(['u1', 'u2']);
    // The sweep read the table at time 0: at the age limit the rows are still used, and show its change.
    clock.now = 100;
    const reads = load.mock.calls.length;
    expect(await rows.getMany(['u1', 'u2'])).toEqual(
      new Map([
        ['u1', 3],
        ['u2', 20],
      ]),
    );
    expect(load.mock.calls.length).toBe(reads);
  });
});
