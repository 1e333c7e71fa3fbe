import { describe, expect, it } from 'vitest';
import { importInTurn } from './import-in-turn';

describe('importInTurn', () => {
  it('starts each load after the one before it has finished, and gives the last one', async () => {
    const log: string[] = [];
    const load = (name: string) => async () => {
      log.push(`start ${name}`);
      await new Promise((resolve) => setImmediate(resolve));
      log.push(`end ${name}`);
      return name;
    };
    await expect(importInTurn([load('a'), load('b')], load('c'))).resolves.toBe('c');
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });

  it('fails when a load fails, without starting the next', async () => {
    let started = false;
    const failing = () => Promise.reject(new Error('offline'));
    const next = async () => {
      started = true;
    };
    await expect(importInTurn([failing], next)).rejects.toThrow('offline');
    expect(started).toBe(false);
  });
});
