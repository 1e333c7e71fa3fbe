/** A running server's base URL: a test server's, or the test API's HTTP edge. */
interface Reachable {
  readonly url: string;
}

export interface RawResult {
  readonly status: number;
  /** The tRPC error code, or null on success. */
  readonly code: string | null;
  readonly body: unknown;
}

/** Calls one procedure by path over plain HTTP (no typed client), so tests can walk every procedure. */
export async function callProcedure(
  server: Reachable,
  token: string | null,
  path: string,
  type: string,
  input: unknown,
): Promise<RawResult> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const encoded = input === undefined ? undefined : JSON.stringify(input);
  const res =
    type === 'query'
      ? await fetch(
          `${server.url}/trpc/${path}${encoded === undefined ? '' : `?input=${encodeURIComponent(encoded)}`}`,
          {
            headers,
          },
        )
      : await fetch(`${server.url}/trpc/${path}`, { method: 'POST', headers, body: encoded ?? '' });
  const body = (await res.json()) as { error?: { data?: { code?: string } } };
  return { status: res.status, code: body.error ? (body.error.data?.code ?? 'UNKNOWN') : null, body };
}

/** Every procedure of a router with its type, read from the router itself. */
export function proceduresOf(router: { _def: { procedures: unknown } }): { path: string; type: string }[] {
  return Object.entries(router._def.procedures as Record<string, { _def: { type: string } }>).map(
    ([path, p]) => ({
      path,
      type: p._def.type,
    }),
  );
}
