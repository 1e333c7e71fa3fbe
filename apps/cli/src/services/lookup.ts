import type { ApiClient } from '../api/client';
import type { Account, Instrument, User } from '../api/types';
import { CliError, EXIT } from '../errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (text: string) => UUID.test(text);

/** An account by id or by name (case-insensitive; an open one before a closed one of the same name). */
export async function findAccount(client: ApiClient, ref: string): Promise<Account> {
  const accounts = await client.accounts.list.query({ includeClosed: true });
  const byId = accounts.find((a) => a.id === ref);
  if (byId) return byId;
  const named = accounts.filter((a) => a.name.toLowerCase() === ref.trim().toLowerCase());
  const open = named.filter((a) => a.closedAt === null);
  const pick = open.length > 0 ? open : named;
  if (pick.length === 1) return pick[0]!;
  if (pick.length > 1) {
    throw new CliError(`Several accounts are named "${ref}".`, EXIT.error, 'Give the account id instead.');
  }
  const names = accounts.filter((a) => a.closedAt === null).map((a) => a.name);
  throw new CliError(
    `No account "${ref}".`,
    EXIT.error,
    names.length > 0
      ? `Your open accounts: ${names.join(', ')}.`
      : 'Create one with `tickfolio accounts add`.',
  );
}

/** An instrument by id, symbol or ISIN (exact, case-insensitive). */
export async function findInstrument(client: ApiClient, ref: string): Promise<Instrument> {
  if (isUuid(ref)) return client.instruments.get.query({ instrumentId: ref });
  const query = ref.trim();
  const found = await client.instruments.search.query({ query, limit: 10 });
  const wanted = query.toUpperCase();
  const exact = found.find((i) => i.symbol.toUpperCase() === wanted || i.isin?.toUpperCase() === wanted);
  if (exact) return exact;
  throw new CliError(
    `No instrument with the symbol "${ref}".`,
    EXIT.error,
    found.length > 0
      ? `Did you mean: ${found
          .slice(0, 5)
          .map((i) => `${i.symbol} (${i.name})`)
          .join(', ')}?`
      : 'Symbols are as listed on their exchange, e.g. AAPL, SAP.DE, INFY.NS.',
  );
}

/** A user by id or email (admins only). */
export async function findUser(client: ApiClient, ref: string): Promise<User> {
  if (isUuid(ref)) return client.admin.users.get.query({ userId: ref });
  const { items } = await client.admin.users.list.query({ query: ref.trim(), limit: 20 });
  const user = items.find((u) => u.email.toLowerCase() === ref.trim().toLowerCase());
  if (!user) throw new CliError(`No user with the email "${ref}".`, EXIT.error);
  return user;
}
