import { withAdmin } from './postgres-admin';

/** Templates this process has made or found, so each is looked up once. */
const known = new Map<string, Promise<void>>();

/**
 * Makes the template `name` unless it is made already, once for all the processes of a run: the
 * workers ask at once, and one builds while the others wait. The wait is on a PostgreSQL advisory lock,
 * since every test run has the server at hand and the lock is its session's, released when the
 * connection closes, even if the process dies. `build` must leave nothing half made under `name`.
 */
export function buildOnce(
  name: string,
  made: () => Promise<boolean>,
  build: () => Promise<void>,
): Promise<void> {
  let template = known.get(name);
  if (!template) {
    template = withAdmin(async (admin) => {
      await admin.query('select pg_advisory_lock(hashtext($1))', [name]);
      if (!(await made())) await build();
    });
    known.set(name, template);
    template.catch(() => known.delete(name));
  }
  return template;
}
