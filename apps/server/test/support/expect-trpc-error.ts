import { TRPCClientError } from '@trpc/client';
import { expect } from 'vitest';
import type { AppRouter } from '../../src/routers';

export type ApiError = TRPCClientError<AppRouter>;

/** Awaits a call that must fail with `code` (and, when given, `data.reason`); returns the error. */
export async function expectTRPCError(
  call: Promise<unknown>,
  code: string,
  reason?: string,
): Promise<ApiError> {
  let error: unknown;
  try {
    await call;
  } catch (caught) {
    error = caught;
  }
  expect(error, `expected ${code}, but the call succeeded`).toBeInstanceOf(TRPCClientError);
  const failure = error as ApiError;
  expect(failure.data?.code, failure.message).toBe(code);
  if (reason !== undefined) expect(failure.data?.reason).toBe(reason);
  return failure;
}
