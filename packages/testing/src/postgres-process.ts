import pg from 'pg';
import {
  type EngineProcess,
  engineProcess,
  engineUser,
  ownFiles,
  runCommand,
  startOrRemove,
} from './engine-process';
import { freePort } from './free-port';
import type { Recipe } from './recipe';
import { createScratchDirectory } from './scratch-directory';

const POSTGRES_BIN = process.env.TEST_POSTGRES_BIN ?? '/usr/lib/postgresql/15/bin';
/** The database a recipe's content goes into. */
const DATABASE = 'tickfolio';

export interface PostgresProcess extends EngineProcess {
  readonly port: number;
  /** The database's URL (user postgres, no password). */
  readonly url: string;
}

/**
 * A PostgreSQL server of the test's own on a free loopback port, in a data directory of its own copied
 * from the run's template cluster (initdb'd once per run, `database` built into it when given): a kill
 * leaves what was committed for the restart's crash recovery. Started; `stop` removes the directory.
 */
export async function startPostgresProcess(options: { database?: Recipe } = {}): Promise<PostgresProcess> {
  const user = engineUser();
  const dataDir = await createScratchDirectory({
    prefix: 'tickfolio-postgres-',
    recipe: clusterRecipe(options.database),
  });
  await ownFiles(dataDir.path, user);
  const port = await freePort();
  const engine = postgresServer(dataDir.path, port, user, dataDir.remove);
  await startOrRemove(engine);
  return Object.assign(engine, { port, url: `postgres://postgres@127.0.0.1:${port}/${DATABASE}` });
}

/** The postgres server over a data directory, answering on the loopback port only. */
function postgresServer(
  dataDir: string,
  port: number,
  user: string | undefined,
  remove?: () => Promise<void>,
): EngineProcess {
  const settings = {
    listen_addresses: '127.0.0.1',
    port: String(port),
    // TCP only: a socket path under the temporary directory could exceed the platform's length limit.
    unix_socket_directories: '',
    // A process killed with SIGKILL loses nothing the kernel holds: syncing to disk guards against a
    // machine crash, which these tests do not make, and would slow the shared test machine.
    fsync: 'off',
    max_connections: '60',
    shared_buffers: '16MB',
  };
  return engineProcess({
    name: `postgres on port ${port}`,
    command: `${POSTGRES_BIN}/postgres`,
    args: ['-D', dataDir, ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])],
    ...(user ? { user } : {}),
    // Fast shutdown: clients are disconnected rather than waited for (SIGTERM's smart shutdown).
    stopSignal: 'SIGINT',
    ready: () => answers(`postgres://postgres@127.0.0.1:${port}/postgres`),
    ...(remove ? { remove } : {}),
  });
}

/** Whether the server takes a query (it accepts connections before it is ready for them). */
async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } finally {
    await client.end().catch(() => {});
  }
}

/** A fresh cluster (superuser postgres, trusted on loopback) with the `database` recipe's content. */
function clusterRecipe(database?: Recipe): Recipe {
  return {
    name: `pgc_${database?.name ?? 'empty'}`,
    async build(dir) {
      const user = engineUser();
      await ownFiles(dir, user);
      await runCommand(
        `${POSTGRES_BIN}/initdb`,
        ['-D', dir, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C.UTF-8'],
        user,
      );
      const port = await freePort();
      const server = postgresServer(dir, port, user);
      await server.start();
      try {
        const admin = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${port}/postgres` });
        await admin.connect();
        await admin.query(`create database ${DATABASE}`);
        await admin.end();
        await database?.build(`postgres://postgres@127.0.0.1:${port}/${DATABASE}`);
      } finally {
        // A clean shutdown, so every copy starts without crash recovery.
        await server.stop();
      }
    },
  };
}
