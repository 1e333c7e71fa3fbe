import type { TestProject } from 'vitest/node';
import { type ApiServerInfo, startApiServer } from './api-server';

declare module 'vitest' {
  export interface ProvidedContext {
    apiServer: ApiServerInfo;
  }
}

/**
 * A vitest globalSetup body: one real server for the whole test run of a project, started before its
 * first test file and stopped after the last; tests find it with `inject('apiServer')`.
 */
export async function provideApiServer(project: TestProject): Promise<() => Promise<void>> {
  const server = await startApiServer();
  project.provide('apiServer', server.info);
  return () => server.stop();
}
