import type { Db } from '@tickfolio/db';
import type { Logger } from '@tickfolio/process';
import type { ServerConfig } from '../config';
import type { PasswordHasher } from '../password-hasher';
import type { Cache } from '../ports/cache';

/** What every service is built from; assembled once in main.ts. */
export interface ServiceDeps {
  readonly db: Db;
  readonly cache: Cache;
  readonly hasher: PasswordHasher;
  readonly now: () => Date;
  readonly log: Logger;
  readonly config: ServerConfig;
}
