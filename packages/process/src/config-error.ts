import type { z } from 'zod';

/** The environment does not describe a process that can run; the entry prints it and exits with 2. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Parses the environment with a process's schema; every bad variable is named in one ConfigError. */
export function parseEnv<Schema extends z.ZodType>(schema: Schema, env: NodeJS.ProcessEnv): z.output<Schema> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`invalid configuration: ${problems}`);
  }
  return parsed.data;
}
