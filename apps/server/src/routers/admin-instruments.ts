import { singleLineTextSchema } from '@tickfolio/core';
import { instrumentRequests } from '@tickfolio/db';
import { z } from 'zod';
import type { CatalogueActor } from '../services/instrument-catalogue';
import type { RequestContext } from '../trpc/context';
import { adminProcedure, router } from '../trpc/init';
import { atSourceSchema, definitionSchema, instrumentChangesSchema } from './instrument-input';

const requestRef = z.strictObject({ requestId: z.uuid() });

function actorOf(ctx: RequestContext & { principal: { userId: string } }): CatalogueActor {
  return { actorId: ctx.principal.userId, requestId: ctx.requestId };
}

/**
 * The instrument catalogue: admins add instruments (found through the lookup, or defined by hand),
 * change their names and identifiers, and decide investors' requests. Every change is audited; an
 * instrument added is priced at once.
 */
export const adminInstrumentsRouter = router({
  /**
   * By a source and its symbol there (looked up now; the source's own data is added), or by a full
   * definition. Answers the instrument, whether it is new, and whether a fetcher was asked to price it.
   */
  add: adminProcedure
    .input(z.union([atSourceSchema, z.strictObject({ definition: definitionSchema })]))
    .mutation(({ ctx, input }) => ctx.services.catalogue.add(input, actorOf(ctx))),

  /** Names and identifiers; never the currency or asset class. CONFLICT when an identifier is taken. */
  update: adminProcedure
    .input(instrumentChangesSchema)
    .mutation(({ ctx, input: { instrumentId, ...changes } }) =>
      ctx.services.catalogue.update(instrumentId, changes, actorOf(ctx)),
    ),

  list: adminProcedure
    .input(
      z.strictObject({
        query: singleLineTextSchema(64).optional(),
        limit: z.number().int().min(1).max(200).default(50),
        offset: z.number().int().min(0).max(1_000_000).optional(),
      }),
    )
    .query(({ ctx, input }) => ctx.services.catalogue.list(input)),

  /** Investors' requests in one status (pending by default), oldest first. */
  requests: adminProcedure
    .input(
      z.strictObject({
        status: z.enum(instrumentRequests.REQUEST_STATUSES).default('pending'),
        limit: z.number().int().min(1).max(200).default(50),
        offset: z.number().int().min(0).max(1_000_000).optional(),
      }),
    )
    .query(({ ctx, input }) => ctx.services.catalogue.requests(input)),

  /** Adds the requested instrument as its source reported it; CONFLICT when no longer pending. */
  approve: adminProcedure
    .input(requestRef)
    .mutation(({ ctx, input }) => ctx.services.catalogue.approve(input.requestId, actorOf(ctx))),

  /** Closes the request without adding; CONFLICT when no longer pending. */
  reject: adminProcedure
    .input(z.strictObject({ requestId: z.uuid(), reason: singleLineTextSchema(500).optional() }))
    .mutation(({ ctx, input }) =>
      ctx.services.catalogue.reject(input.requestId, input.reason ?? null, actorOf(ctx)),
    ),
});
