import { z } from 'zod';

/**
 * The server's whole configuration, parsed once from the environment. The only module that reads env.
 * No DATABASE_URL means the embedded, file-backed PGlite under TICKFOLIO_DATA_DIR.
 */
const envSchema = z.object({
  DATABASE_URL: z.string().url().optional(),
  TICKFOLIO_DATA_DIR: z.string().min(1).default('.data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DEMO_SEED: z.coerce.number().int().default(20261125),
  DEMO_INVESTORS: z.coerce.number().int().min(1).max(100_000).default(250),
  DEMO_DATA: z.enum(['on', 'off']).default('on'),
});

export type DatabaseConfig = { kind: 'postgres'; url: string } | { kind: 'pglite'; dataDir: string };

export interface ServerConfig {
  readonly database: DatabaseConfig;
  readonly logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  /** Demo data loaded into an empty database on start; null to start empty. */
  readonly demo: { readonly seed: number; readonly investors: number } | null;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  return {
    database: e.DATABASE_URL
      ? { kind: 'postgres', url: e.DATABASE_URL }
      : { kind: 'pglite', dataDir: `${e.TICKFOLIO_DATA_DIR}/pglite` },
    logLevel: e.LOG_LEVEL,
    demo: e.DEMO_DATA === 'on' ? { seed: e.DEMO_SEED, investors: e.DEMO_INVESTORS } : null,
  };
}
