import type { ApiClient } from '../api/client';
import type { Transaction } from '../api/types';
import { CliError, EXIT, usageError } from '../errors';

/** Pages of the ledger searched for an id's beginning: the latest 5,000 transactions. */
const PAGES = 10;
const PAGE_SIZE = 500;
/** The shortest beginning of an id taken for one (as `git` takes short hashes). */
const MIN_PREFIX = 6;

/**
 * A transaction of the caller's by its id or by the beginning of it (at least 6 characters, among the
 * latest 5,000): the whole id is a lot to type for a `tx delete`.
 */
export async function findTransaction(client: ApiClient, ref: string): Promise<Transaction> {
  const prefix = ref.trim().toLowerCase();
  if (!/^[0-9a-f-]+$/.test(prefix) || prefix.replace(/-/g, '').length < MIN_PREFIX) {
    throw usageError(
      `"${ref}" is not a transaction id.`,
      `Give the id from \`tickfolio tx list\`, or at least its first ${MIN_PREFIX} characters.`,
    );
  }
  const found: Transaction[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < PAGES; page++) {
    const { items, nextCursor } = await client.transactions.list.query({ limit: PAGE_SIZE, cursor });
    found.push(...items.filter((t) => t.id.startsWith(prefix)));
    if (found.some((t) => t.id === prefix) || !nextCursor) break;
    cursor = nextCursor;
  }
  const exact = found.find((t) => t.id === prefix);
  if (exact) return exact;
  if (found.length === 1) return found[0]!;
  if (found.length > 1) {
    throw usageError(`${found.length} transactions have ids starting with "${ref}".`, 'Give more of the id.');
  }
  throw new CliError(
    `No transaction of yours has an id starting with "${ref}".`,
    EXIT.error,
    'See `tickfolio tx list` for the ids.',
  );
}
