export {
  fixture,
  json,
  type ProviderRequest,
  type ProviderServer,
  type ScriptedResponse,
  startProviderServer,
} from './provider-server';
export { TEST_REDIS_URL, testRedisKeyPrefix } from './redis';
export { createScratchDatabase, type ScratchDatabase, type ScratchOptions } from './scratch-database';
export type { DatabaseRecipe } from './template-database';
