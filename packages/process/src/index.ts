/**
 * What every Tickfolio process shares at its edge: the environment parsed into a config, the logger,
 * and the one way a process starts and stops (runProcess).
 */
export { ConfigError, parseEnv } from './config-error';
export { createLogger, type Logger } from './logger';
export { runProcess } from './run-process';
