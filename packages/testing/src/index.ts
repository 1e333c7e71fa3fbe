export {
  fixture,
  json,
  type ProviderRequest,
  type ProviderServer,
  type ScriptedResponse,
  startProviderServer,
} from './provider-server';
export type { Recipe } from './recipe';
export { TEST_REDIS_URL, testRedisKeyPrefix } from './redis';
export { createScratchDatabase, type ScratchDatabase } from './scratch-database';
export { createScratchDirectory } from './scratch-directory';
