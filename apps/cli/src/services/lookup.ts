import type { ApiClient } from '../api/client';
import type { Account, BookClient, Instrument, User } from '../api/types';
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

/** What a symbol names: an instrument, or nothing, with the catalogue's nearest matches. */
export type InstrumentMatch =
  | { readonly instrument: Instrument }
  | { readonly instrument: null; readonly ref: string; readonly suggestions: readonly Instrument[] };

/** An instrument by id, symbol or ISIN (exact, case-insensitive), or the near matches when none is. */
export async function matchInstrument(client: ApiClient, ref: string): Promise<InstrumentMatch> {
  if (isUuid(ref)) return { instrument: await client.instruments.get.query({ instrumentId: ref }) };
  const query = ref.trim();
  const found = await client.instruments.search.query({ query, limit: 10 });
  const wanted = query.toUpperCase();
  const exact = found.find((i) => i.symbol.toUpperCase() === wanted || i.isin?.toUpperCase() === wanted);
  return exact ? { instrument: exact } : { instrument: null, ref, suggestions: found.slice(0, 5) };
}

/** What to do about a symbol the catalogue lacks: its near matches, else how to find one. */
export function unknownSymbolHint(suggestions: readonly Instrument[]): string {
  if (suggestions.length > 0) {
    return `Did you mean: ${suggestions.map((i) => `${i.symbol} (${i.name})`).join(', ')}?`;
  }
  return 'Symbols are as listed on their exchange (AAPL, SAP.DE, VWCE.DE); find one with `tickfolio instruments search NAME`.';
}

/** An instrument by id, symbol or ISIN (exact, case-insensitive); a sentence when there is none. */
export async function findInstrument(client: ApiClient, ref: string): Promise<Instrument> {
  const match = await matchInstrument(client, ref);
  if (match.instrument) return match.instrument;
  throw new CliError(
    `No instrument with the symbol "${ref}".`,
    EXIT.error,
    unknownSymbolHint(match.suggestions),
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

/** One of an advisor's clients by id, email or name (case-insensitive). */
export async function findClient(client: ApiClient, ref: string): Promise<BookClient> {
  const book = await client.advisor.clients.query();
  const wanted = ref.trim().toLowerCase();
  const found =
    book.find((c) => c.clientId === ref || c.email.toLowerCase() === wanted) ??
    book.filter((c) => c.displayName.toLowerCase() === wanted).at(0);
  if (found) return found;
  const near = book.filter(
    (c) => c.email.toLowerCase().includes(wanted) || c.displayName.toLowerCase().includes(wanted),
  );
  throw new CliError(
    `No client "${ref}" in your book.`,
    EXIT.error,
    near.length > 0
      ? `Did you mean: ${near
          .slice(0, 5)
          .map((c) => c.email)
          .join(', ')}?`
      : 'List your clients with `tickfolio clients`.',
  );
}
