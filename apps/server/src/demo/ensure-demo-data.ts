import type { Db } from '@tickfolio/db';
import {
  DEMO_PASSWORD,
  type DemoLoadSummary,
  generateDemoData,
  hasAnyUser,
  loadDemoData,
} from '@tickfolio/db/demo';

export interface DemoOptions {
  readonly seed: number;
  readonly investors: number;
}

/**
 * Loads the demo data into an empty database (first run only). Every demo user gets the demo password,
 * hashed once with the server's password hasher.
 */
export async function ensureDemoData(
  db: Db,
  options: DemoOptions,
  hashPassword: (plain: string) => Promise<string>,
  signal?: AbortSignal,
): Promise<DemoLoadSummary | null> {
  if (await hasAnyUser(db)) return null;
  const data = generateDemoData({ seed: options.seed, investors: options.investors });
  return loadDemoData(db, data, await hashPassword(DEMO_PASSWORD), signal);
}
