import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { CompletionSources } from '../commands/complete-words';
import type { CommandContext } from '../commands/context';

/**
 * How long completion reuses what the server said: a Tab pressed a second time (or the next word)
 * answers from the file, and a new account or instrument shows up within a minute.
 */
export const COMPLETION_CACHE_MS = 60_000;
/** How long completion waits for the server before offering what it knows without it. */
const SERVER_BUDGET_MS = 1_500;

const cacheSchema = z.object({
  server: z.string(),
  entries: z.record(z.string(), z.object({ at: z.number(), words: z.array(z.string()) })),
});
type Cache = z.infer<typeof cacheSchema>;

/** `work`'s answer, or [] when it fails or takes longer than the budget: completion must never hang. */
async function withinBudget(work: () => Promise<readonly string[]>): Promise<readonly string[]> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<readonly string[]>((resolve) => {
    timer = setTimeout(() => resolve([]), SERVER_BUDGET_MS);
  });
  try {
    return await Promise.race([work().catch(() => []), late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Account names and catalogue symbols for shell completion, asked of the server the context names
 * and cached briefly in the config directory (per server: another server's accounts are not these).
 */
export function createCompletionSources(ctx: CommandContext): CompletionSources {
  const path = join(ctx.env.configDir, 'completion-cache.json');

  async function load(server: string): Promise<Cache> {
    try {
      const parsed = cacheSchema.safeParse(JSON.parse(await readFile(path, 'utf8')));
      if (parsed.success && parsed.data.server === server) return parsed.data;
    } catch {
      // No cache yet, or a damaged one: it is rebuilt.
    }
    return { server, entries: {} };
  }

  async function save(cache: Cache): Promise<void> {
    await mkdir(ctx.env.configDir, { recursive: true, mode: 0o700 });
    const temporary = `${path}.${process.pid}.tmp`;
    await writeFile(temporary, JSON.stringify(cache), { mode: 0o600 });
    await rename(temporary, path);
  }

  async function cached(key: string, ask: () => Promise<readonly string[]>): Promise<readonly string[]> {
    return withinBudget(async () => {
      const server = await ctx.serverUrl();
      const cache = await load(server);
      const hit = cache.entries[key];
      if (hit && ctx.now() - hit.at < COMPLETION_CACHE_MS) return hit.words;
      const words = await ask();
      const fresh = Object.fromEntries(
        Object.entries(cache.entries).filter(([, e]) => ctx.now() - e.at < COMPLETION_CACHE_MS),
      );
      await save({ server, entries: { ...fresh, [key]: { at: ctx.now(), words: [...words] } } }).catch(
        () => undefined,
      );
      return words;
    });
  }

  return {
    accounts: () =>
      cached('accounts', async () => {
        const client = await ctx.api();
        const accounts = await client.accounts.list.query({ includeClosed: false });
        return accounts.map((a) => a.name);
      }),
    symbols: (prefix) => {
      const query = prefix.trim().toUpperCase();
      // The catalogue's search needs a character to go on; a bare Tab offers no symbols.
      if (query === '') return Promise.resolve([]);
      return cached(`symbols:${query}`, async () => {
        const client = await ctx.api();
        const found = await client.instruments.search.query({ query, limit: 100 });
        return found.map((i) => i.symbol);
      });
    },
  };
}
