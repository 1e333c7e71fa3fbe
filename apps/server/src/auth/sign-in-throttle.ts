import type { RateLimiter, SignInLimits } from '../ports/rate-limiter';
import { AuthError } from './auth-errors';

/** An attempt refused before its credentials were checked: over one of the sign-in limits. */
export class SignInThrottledError extends Error {
  override readonly name = 'SignInThrottledError';
  constructor(readonly retryAfterSeconds: number) {
    super(`too many sign-in attempts; retry in ${retryAfterSeconds} s`);
  }
}

export interface SignInThrottle {
  /**
   * Runs `check` (a credential check of `account`, say `email:ann@example.com` or `client:tfc_…`, from
   * `address`) within the limits, or refuses it with SignInThrottledError before it runs.
   */
  attempt<T>(account: string, address: string, check: () => Promise<T>): Promise<T>;
  /** Counts an attempt that proves nothing (a registration) against its address, or refuses it. */
  chargeAddress(address: string): Promise<void>;
}

/** A failure that shows a wrong guess; any other outcome is held against no one. */
function isWrongGuess(error: unknown): boolean {
  return (
    error instanceof AuthError && (error.code === 'INVALID_CREDENTIALS' || error.code === 'INVALID_CLIENT')
  );
}

/**
 * Brute-force protection after OWASP's authentication guidance and rate-limiter-flexible's "login
 * endpoint protection": only failures count, and a success clears its account's failures from that
 * address, so signing in often is never refused. Failures are counted three ways:
 *
 * - per account and address (a few in 15 minutes): one address guessing one account is stopped
 *   quickly, while the owner at another address is not locked out by it;
 * - per address (more, per day): one address guessing many accounts;
 * - per account over every address (per day): many addresses guessing one account. This is the
 *   slower, global backoff; an address the account signed in from lately is exempt from it, so an
 *   attacker filling it does not lock the owner out where they usually sign in.
 *
 * Each attempt spends its points before the check runs (so parallel attempts cannot slip past a limit)
 * and gets back what was not a wrong guess.
 */
export function createSignInThrottle(limits: SignInLimits): SignInThrottle {
  async function spendAll(spends: readonly [RateLimiter, string][]): Promise<void> {
    const spent: [RateLimiter, string][] = [];
    for (const [limiter, key] of spends) {
      const decision = await limiter.consume(key);
      if (!decision.allowed) {
        // Refused before the check: what the earlier limits took was no guess.
        await refund(spent);
        throw new SignInThrottledError(decision.retryAfterSeconds);
      }
      spent.push([limiter, key]);
    }
  }

  const refund = (spent: readonly [RateLimiter, string][]) =>
    Promise.all(spent.map(([limiter, key]) => limiter.refund(key)));

  return {
    async attempt(account, address, check) {
      // An address has no '|', so the pair's key is unambiguous whatever the account's name holds.
      const pair = `${address}|${account}`;
      const known = await limits.knownAddresses.has(pair);
      const spends: [RateLimiter, string][] = [
        [limits.accountAndAddress, pair],
        [limits.address, address],
        ...(known ? [] : [[limits.account, account] as [RateLimiter, string]]),
      ];
      await spendAll(spends);
      const result = await check().catch(async (error: unknown) => {
        if (!isWrongGuess(error)) await refund(spends);
        throw error;
      });
      await Promise.all([
        limits.accountAndAddress.reset(pair),
        refund(spends.slice(1)),
        limits.knownAddresses.remember(pair),
      ]);
      return result;
    },

    async chargeAddress(address) {
      const decision = await limits.address.consume(address);
      if (!decision.allowed) throw new SignInThrottledError(decision.retryAfterSeconds);
    },
  };
}
