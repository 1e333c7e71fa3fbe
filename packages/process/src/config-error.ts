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

/**
 * Where a process serves /metrics from its METRICS_HOST and METRICS_PORT: `off` serves nothing; unset
 * takes the process's default port, or a free one (0) when the main listener asked for a free port too,
 * so test processes started side by side never contend for one metrics port.
 */
export function metricsListener(
  host: string,
  port: number | 'off' | undefined,
  mainPort: number,
  defaultPort: number,
): { host: string; port: number } | null {
  if (port === 'off') return null;
  return { host, port: port ?? (mainPort === 0 ? 0 : defaultPort) };
}
