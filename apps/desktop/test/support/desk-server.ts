import { type ApiServer, startApiServer } from '@tickfolio/api/testing';
import { ensureRendererBuild } from './renderer-build';

/**
 * The real server in service mode, a process of its own on a scratch database with the small demo
 * (advisor1 and their clients), serving the current renderer build at /app. `settings` adds server
 * settings (a larger demo for the benchmark, a log level).
 */
export async function startDeskServer(
  settings: Record<string, string> = {},
  options: { echo?: boolean } = {},
): Promise<ApiServer> {
  const deskDir = await ensureRendererBuild();
  return startApiServer({ settings: { DESK_DIR: deskDir, ...settings }, echo: options.echo ?? false });
}
