import { describe, expect, it } from 'vitest';
import type { Db } from '../src';
import { generateDemoData, hasAnyUser, loadDemoData } from '../src/demo';
import { databaseForBlock, engines } from './engines';

describe.each(engines)('the demo load on $name', (engine) => {
  let db: Db;
  databaseForBlock(engine, (opened) => {
    db = opened;
  });

  it('gives up when its signal aborts and leaves nothing behind; a later load then runs whole', async () => {
    const data = generateDemoData({ seed: 7, investors: 12 });
    const shutdown = new AbortController();
    shutdown.abort(new Error('SIGINT during start'));
    await expect(loadDemoData(db, data, null, shutdown.signal)).rejects.toThrow('SIGINT during start');
    expect(await hasAnyUser(db)).toBe(false);

    const loaded = await loadDemoData(db, data, null, new AbortController().signal);
    expect(loaded.users).toBe(data.users.length);
    expect(await hasAnyUser(db)).toBe(true);
  });
});
