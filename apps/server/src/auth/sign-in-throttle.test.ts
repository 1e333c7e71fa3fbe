import { describe, expect, it, vi } from 'vitest';
import { createRateLimits } from '../ports/rate-limiter';
import { AuthError } from './auth-errors';
import { createSignInThrottle, SignInThrottledError } from './sign-in-throttle';

/** A throttle over in-memory limits: 3 failures per account and address, 5 per address, 4 per account. */
function throttle() {
  const limits = createRateLimits(
    {
      ipPerMinute: 1000,
      userPerMinute: 1000,
      costlyCallPoints: 10,
      storeTimeoutMs: 250,
      signIn: {
        failsPerAccountAndAddressPer15Minutes: 3,
        failsPerAddressPerDay: 5,
        failsPerAccountPerDay: 4,
      },
    },
    null,
  );
  return createSignInThrottle(limits.signIn);
}

const wrong = () => Promise.reject(new AuthError('INVALID_CREDENTIALS'));
const right = async () => 'session';

async function outcome(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    if (error instanceof SignInThrottledError) return 'throttled';
    if (error instanceof AuthError) return error.code;
    throw error;
  }
}

describe('sign-in throttle', () => {
  it('refuses over a limit without running the check (no password is hashed)', async () => {
    const t = throttle();
    for (let i = 0; i < 3; i++)
      expect(await outcome(t.attempt('ann', '10.0.0.1', wrong))).toBe('INVALID_CREDENTIALS');
    const check = vi.fn(right);
    expect(await outcome(t.attempt('ann', '10.0.0.1', check))).toBe('throttled');
    expect(check).not.toHaveBeenCalled();
  });

  it('lets no more parallel wrong guesses through than the limit', async () => {
    const t = throttle();
    const checks = vi.fn(wrong);
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, () => outcome(t.attempt('bob', '10.0.0.2', checks))),
    );
    expect(checks).toHaveBeenCalledTimes(3);
    expect(outcomes.filter((o) => o === 'throttled')).toHaveLength(7);
  });

  it('holds nothing but wrong guesses against anyone: successes and other failures are refunded', async () => {
    const t = throttle();
    for (let i = 0; i < 20; i++) expect(await outcome(t.attempt('cid', '10.0.0.3', right))).toBe('ok');
    const disabled = () => Promise.reject(new AuthError('ACCOUNT_DISABLED'));
    for (let i = 0; i < 20; i++)
      expect(await outcome(t.attempt('cid', '10.0.0.3', disabled))).toBe('ACCOUNT_DISABLED');
    // Still the whole allowance of wrong guesses.
    for (let i = 0; i < 3; i++)
      expect(await outcome(t.attempt('cid', '10.0.0.3', wrong))).toBe('INVALID_CREDENTIALS');
    expect(await outcome(t.attempt('cid', '10.0.0.3', wrong))).toBe('throttled');
  });

  it('gives back what earlier limits took when a later one refuses', async () => {
    const t = throttle();
    // The account's own limit spent from four addresses, one guess each.
    for (let i = 1; i <= 4; i++) await outcome(t.attempt('dan', `10.1.0.${i}`, wrong));
    expect(await outcome(t.attempt('dan', '10.1.0.9', right))).toBe('throttled');
    // 10.1.0.9 was refused by the account's limit: the address's own allowance of 5 is whole.
    for (let i = 0; i < 5; i++) {
      expect(await outcome(t.attempt(`someone-${i}`, '10.1.0.9', wrong))).toBe('INVALID_CREDENTIALS');
    }
    expect(await outcome(t.attempt('someone-else', '10.1.0.9', wrong))).toBe('throttled');
  });
});
