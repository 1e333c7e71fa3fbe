import pino, { type DestinationStream, type Logger } from 'pino';
import { censorSecrets } from './censor-secrets';

export type { Logger };

/**
 * JSON logs to stdout (one line per event, credentials censored), level from config; `destination` takes them elsewhere (a
 * test reading what a real server writes).
 */
export function createLogger(level: string, name: string, destination?: DestinationStream): Logger {
  const options = {
    name,
    level,
    base: { service: name },
    // Credentials are censored in each line (censor-secrets.ts); the base bindings hold none.
    formatters: { log: censorSecrets },
  };
  const logger = destination ? pino(options, destination) : pino(options);
  // And in each child's bindings: pino applies no formatter to those, so child() censors them first.
  // Children are made from their parent by prototype, so every descendant inherits this child().
  const makeChild = logger.child;
  logger.child = function child(this: Logger, bindings, childOptions) {
    return makeChild.call(this, censorSecrets(bindings), childOptions);
  } as Logger['child'];
  return logger;
}
