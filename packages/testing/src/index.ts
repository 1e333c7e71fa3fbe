export { describeCpu, openCpuWindow, processCpuSeconds, type ThreadShare } from './cpu-accounting';
export { databaseFingerprint } from './database-fingerprint';
export type { EngineProcess } from './engine-process';
export { freePort } from './free-port';
export { HOSTILE, HOSTILE_LEDGER_CURSORS, leakIn, runPooled, tallyStatuses } from './hostile-input';
export { lookupFixtureAnswer } from './lookup-fixtures';
export { type NatsCluster, startNatsCluster } from './nats-cluster';
export { startNatsProcess } from './nats-process';
export { type OpenLoopResult, runOpenLoop } from './open-loop';
export { startPostgresProcess } from './postgres-process';
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
export { startRedisProcess } from './redis-process';
export {
  type FaultRow,
  type HostileInputRow,
  RELIABILITY_RESULTS,
  type ReliabilityRow,
  type RequestCounts,
  readReliabilityRows,
  recordHostileInput,
  recordReliabilityRow,
} from './reliability-results';
export { createScratchDatabase, type ScratchDatabase } from './scratch-database';
export { createScratchDirectory } from './scratch-directory';
export { startTcpProxy, type TcpProxy, targetOf } from './tcp-proxy';
