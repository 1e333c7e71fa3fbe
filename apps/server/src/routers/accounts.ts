import { COST_BASIS_METHODS, currencyCodeSchema, singleLineTextSchema } from '@tickfolio/core';
import { z } from 'zod';
import { ownerOf } from '../services/owner-of';
import { protectedProcedure, router } from '../trpc/init';

const accountName = singleLineTextSchema(120);
const accountId = z.uuid();

/**
 * Accounts of the caller, or of a client they may act for (`ownerId`: advisors for assigned clients,
 * admins for anyone). Forbidden accounts answer NOT_FOUND like missing ones. Changes are audited.
 */
export const accountsRouter = router({
  list: protectedProcedure
    .input(z.strictObject({ ownerId: z.uuid().optional(), includeClosed: z.boolean().optional() }).optional())
    .query(({ ctx, input }) =>
      ctx.services.accounts.list(ctx.principal, ownerOf(ctx.principal, input?.ownerId), {
        includeClosed: input?.includeClosed ?? false,
      }),
    ),

  create: protectedProcedure
    .input(
      z.strictObject({ ownerId: z.uuid().optional(), name: accountName, baseCurrency: currencyCodeSchema }),
    )
    .mutation(({ ctx, input }) =>
      ctx.services.accounts.create(
        ctx.principal,
        {
          ownerId: ownerOf(ctx.principal, input.ownerId),
          name: input.name,
          baseCurrency: input.baseCurrency,
        },
        ctx.requestId,
      ),
    ),

  rename: protectedProcedure
    .input(z.strictObject({ accountId, name: accountName }))
    .mutation(({ ctx, input }) =>
      ctx.services.accounts.rename(ctx.principal, input.accountId, input.name, ctx.requestId),
    ),

  /**
   * How the account's holdings take the cost of what they sell: 'average' (the default) or 'fifo'. Its
   * holdings are re-derived at once. CONFLICT for a closed account.
   */
  setCostBasisMethod: protectedProcedure
    .input(z.strictObject({ accountId, method: z.enum(COST_BASIS_METHODS) }))
    .mutation(({ ctx, input }) =>
      ctx.services.accounts.setCostBasisMethod(ctx.principal, input.accountId, input.method, ctx.requestId),
    ),

  /** CONFLICT when already closed, or while the account still holds positions. */
  close: protectedProcedure
    .input(z.strictObject({ accountId }))
    .mutation(({ ctx, input }) => ctx.services.accounts.close(ctx.principal, input.accountId, ctx.requestId)),
});
