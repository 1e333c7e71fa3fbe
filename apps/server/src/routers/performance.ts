import { dayNumber } from '@tickfolio/core';
import { z } from 'zod';
import { protectedProcedure } from '../trpc/init';

function isCalendarDay(text: string): boolean {
  try {
    dayNumber(text);
    return true;
  } catch {
    return false;
  }
}

/** A calendar day that exists, YYYY-MM-DD, from 1900 on (as every date the API takes). */
const day = z
  .string()
  .max(10)
  .refine((text) => isCalendarDay(text) && text >= '1900-01-01', 'a date as YYYY-MM-DD, from 1900');
const scope = {
  ownerId: z.uuid().optional(),
  accountId: z.uuid().optional(),
  /** The last day; default today (UTC). */
  asOf: day.optional(),
};

/**
 * Performance analytics of a portfolio (or one account), derived from the ledger and the price and FX
 * history: mounted in the portfolio router as portfolio.performance, portfolio.lots, portfolio.realized.
 */
export const performanceProcedures = {
  /**
   * Returns (time- and money-weighted), gains and a benchmark for 1D … MAX and an optional custom period,
   * of the portfolio, one account or one holding.
   */
  performance: protectedProcedure
    .input(
      z
        .strictObject({
          ...scope,
          /** One holding (the instrument, within accountId if given) instead of the whole portfolio. */
          instrumentId: z.uuid().optional(),
          from: day.optional(),
          benchmarkId: z.uuid().optional(),
        })
        .refine((q) => q.from === undefined || q.asOf === undefined || q.from <= q.asOf, {
          message: 'from is after asOf',
          path: ['from'],
        })
        .optional(),
    )
    .query(({ ctx, input }) => ctx.services.performance.performance(ctx.principal, input ?? {})),

  /** Open FIFO lots (whatever the accounts' cost-basis methods). */
  lots: protectedProcedure
    .input(z.strictObject(scope).optional())
    .query(({ ctx, input }) => ctx.services.performance.lots(ctx.principal, input ?? {})),

  /**
   * Sales, each costed by its account's method (with the FIFO lots it consumed, or at average cost), and
   * realized gains and income per year.
   */
  realized: protectedProcedure
    .input(z.strictObject(scope).optional())
    .query(({ ctx, input }) => ctx.services.performance.realized(ctx.principal, input ?? {})),
};
