import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { migrateToLatest, openDatabase, users } from '../src';
import { migrations } from '../src/migrations';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'tickfolio-db-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

it('keeps a file-backed PGlite database across reopening, creating its directory', async () => {
  const dataDir = join(root, 'nested', 'data');
  const first = await openDatabase({ kind: 'pglite', dataDir });
  expect(await migrateToLatest(first.db)).toEqual(Object.keys(migrations));
  await users.createUser(first.db, { email: 'kept@example.com', displayName: 'Kept', baseCurrency: 'INR' });
  await first.close();

  const second = await openDatabase({ kind: 'pglite', dataDir });
  expect(await migrateToLatest(second.db)).toEqual([]);
  expect((await users.findUserByEmail(second.db, 'kept@example.com'))?.baseCurrency).toBe('INR');
  await second.close();
});
