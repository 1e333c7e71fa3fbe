import { currencyCodeSchema, singleLineTextSchema } from '@tickfolio/core';
import { z } from 'zod';
import { protectedProcedure, publicProcedure, router, userProcedure } from '../trpc/init';
import { throttledSignIn, throttleRegistration } from '../trpc/login-throttle';

const email = z.email().max(254);
const password = z.string().min(1).max(256);
const refreshToken = z.strictObject({ refreshToken: z.string().min(16).max(512) });

/** Sign-up, sign-in, token refresh and sign-out; the caller's own identity. */
export const authRouter = router({
  /**
   * Answers `{ ok: true }` whether or not the address already has an account (after the same work), so it
   * tells no one which addresses are registered; a new investor then signs in with auth.login.
   */
  register: publicProcedure
    .input(
      z.strictObject({
        email,
        password,
        displayName: singleLineTextSchema(120),
        baseCurrency: currencyCodeSchema,
      }),
    )
    .mutation(async ({ ctx, input }) => {
      await throttleRegistration(ctx);
      await ctx.services.auth.register(input, { requestId: ctx.requestId });
      return { ok: true as const };
    }),

  login: publicProcedure.input(z.strictObject({ email, password })).mutation(async ({ ctx, input }) => {
    return throttledSignIn(ctx, `email:${input.email.trim().toLowerCase()}`, () =>
      ctx.services.auth.login(input.email, input.password),
    );
  }),

  refresh: publicProcedure
    .input(refreshToken)
    .mutation(({ ctx, input }) => ctx.services.auth.refresh(input.refreshToken)),

  logout: publicProcedure.input(refreshToken).mutation(async ({ ctx, input }) => {
    await ctx.services.auth.logout(input.refreshToken);
    return { ok: true as const };
  }),

  me: protectedProcedure.query(async ({ ctx }) => {
    const p = ctx.principal;
    if (p.kind === 'service')
      return { kind: 'service' as const, clientId: p.clientId, scopes: [...p.scopes] };
    // The row the call was signed in with: as current as the check that let the call in, no second read.
    const user = ctx.session?.user
      ? ctx.services.admin.describeUser(ctx.session.user)
      : await ctx.services.admin.getUser(p.userId);
    return { kind: 'user' as const, ...user };
  }),

  changePassword: userProcedure
    .input(z.strictObject({ currentPassword: password, newPassword: password }))
    .mutation(({ ctx, input }) =>
      throttledSignIn(ctx, `user:${ctx.principal.userId}`, () =>
        ctx.services.auth.changePassword(ctx.principal.userId, input.currentPassword, input.newPassword, {
          requestId: ctx.requestId,
        }),
      ),
    ),
});
