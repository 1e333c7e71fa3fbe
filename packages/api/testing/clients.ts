import { DEMO_PASSWORD } from '@tickfolio/db/demo';
import { liveClient } from '@tickfolio/server/testing/live-client';
import { createTRPCClient, httpLink, type TRPCClient } from '@trpc/client';
import type { AppRouter } from '../src';

/**
 * Signs in through the API (a demo login unless a password is given) and returns a real client typed
 * with the contract, using the token: calls over HTTP, subscriptions over SSE.
 */
export async function signIn(url: string, email: string, password = DEMO_PASSWORD) {
  const anonymous = createTRPCClient<AppRouter>({ links: [httpLink({ url: `${url}/trpc` })] });
  const { accessToken } = await anonymous.auth.login.mutate({ email, password });
  return liveClient(url, accessToken);
}

/** A holding priced in its currency's minor units (a price a test can move by one unit and find on screen). */
export interface PricedHolding {
  readonly clientId: string;
  readonly instrumentId: string;
  readonly currency: string;
  readonly price: string;
}

/** The first of the advisor's clients' holdings with a price of two decimal places. */
export async function findPricedClientHolding(
  advisor: TRPCClient<AppRouter>,
): Promise<PricedHolding | undefined> {
  for (const c of await advisor.advisor.clients.query()) {
    const { holdings } = (await advisor.advisor.client.query({ clientId: c.clientId })).holdings;
    const h = holdings.find((x) => x.price !== null && /^\d+\.\d{2}$/.test(x.price));
    if (h)
      return {
        clientId: c.clientId,
        instrumentId: h.instrumentId,
        currency: h.localCurrency,
        price: h.price!,
      };
  }
  return undefined;
}
