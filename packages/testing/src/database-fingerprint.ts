import pg from 'pg';

/**
 * A digest of tables' full contents (every ordinary and partitioned table of the public schema unless
 * `tables` names some): equal digests mean nothing was written. Tests take one before and one after
 * requests that must be refused, to prove those changed nothing.
 */
export async function databaseFingerprint(
  url: string,
  tables?: readonly string[],
): Promise<Record<string, string>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const names =
      tables ??
      (
        await client.query<{ name: string }>(
          `select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
           where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition
           order by c.relname`,
        )
      ).rows.map((r) => r.name);
    const out: Record<string, string> = {};
    for (const table of names) {
      const { rows } = await client.query<{ digest: string; n: string }>(
        `select md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as digest, count(*)::text as n
         from ${client.escapeIdentifier(table)} t`,
      );
      out[table] = `${rows[0]?.n}:${rows[0]?.digest}`;
    }
    return out;
  } finally {
    await client.end();
  }
}
