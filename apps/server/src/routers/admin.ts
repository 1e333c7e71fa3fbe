import { int8TextSchema, printableKeySchema, singleLineTextSchema, USER_ROLES } from '@tickfolio/core';
import { z } from 'zod';
import { SERVICE_SCOPES } from '../auth/principal';
import type { AdminActor } from '../services/admin-service';
import type { RequestContext } from '../trpc/context';
import { adminProcedure, router } from '../trpc/init';
import { adminInstrumentsRouter } from './admin-instruments';
import { adminPricesRouter } from './admin-prices';

const userId = z.uuid();
const role = z.enum(USER_ROLES);
const userRef = z.strictObject({ userId });
const assignment = z.strictObject({ advisorId: userId, clientId: userId });

function actorOf(ctx: RequestContext & { principal: { userId: string } }): AdminActor {
  return { actorId: ctx.principal.userId, requestId: ctx.requestId };
}

/**
 * Administration: users and roles, advisor assignments, the audit trail, API clients, held prices, the
 * dead-letter queue, the instrument catalogue. Admins only.
 */
export const adminRouter = router({
  users: router({
    list: adminProcedure
      .input(
        z.strictObject({
          query: singleLineTextSchema(254).optional(),
          role: role.optional(),
          limit: z.number().int().min(1).max(200).default(50),
          offset: z.number().int().min(0).max(1_000_000).optional(),
        }),
      )
      .query(({ ctx, input }) => ctx.services.admin.listUsers(input)),

    get: adminProcedure.input(userRef).query(({ ctx, input }) => ctx.services.admin.getUser(input.userId)),

    /** An admin cannot change their own role; leaving a role removes the assignments it held. */
    setRole: adminProcedure
      .input(z.strictObject({ userId, role }))
      .mutation(({ ctx, input }) => ctx.services.admin.setRole(input.userId, input.role, actorOf(ctx))),

    disable: adminProcedure
      .input(userRef)
      .mutation(({ ctx, input }) => ctx.services.admin.disableUser(input.userId, actorOf(ctx))),

    enable: adminProcedure
      .input(userRef)
      .mutation(({ ctx, input }) => ctx.services.admin.enableUser(input.userId, actorOf(ctx))),
  }),

  assignments: router({
    list: adminProcedure
      .input(z.strictObject({ advisorId: userId.optional() }))
      .query(async ({ ctx, input }) => ({
        items: await ctx.services.admin.listAssignments(input.advisorId),
      })),

    /** The same assignments with each advisor's and client's email and name, in one call. */
    listWithPeople: adminProcedure
      .input(z.strictObject({ advisorId: userId.optional() }))
      .query(async ({ ctx, input }) => ({
        items: await ctx.services.admin.listAssignmentsWithPeople(input.advisorId),
      })),

    add: adminProcedure
      .input(assignment)
      .mutation(({ ctx, input }) =>
        ctx.services.admin.addAssignment(input.advisorId, input.clientId, actorOf(ctx)),
      ),

    remove: adminProcedure
      .input(assignment)
      .mutation(({ ctx, input }) =>
        ctx.services.admin.removeAssignment(input.advisorId, input.clientId, actorOf(ctx)),
      ),
  }),

  audit: router({
    list: adminProcedure
      .input(
        z.strictObject({
          entity: singleLineTextSchema(64).optional(),
          entityId: singleLineTextSchema(128).optional(),
          actorId: userId.optional(),
          limit: z.number().int().min(1).max(200).default(50),
          /** The audit log's bigint id to continue below. */
          cursor: int8TextSchema.optional(),
        }),
      )
      .query(({ ctx, input }) => ctx.services.admin.listAudit(input)),
  }),

  apiClients: router({
    /** The answer holds the client secret; it is never shown again. */
    create: adminProcedure
      .input(
        z.strictObject({
          name: singleLineTextSchema(120),
          scopes: z.array(z.enum(SERVICE_SCOPES)).min(1).max(SERVICE_SCOPES.length),
        }),
      )
      .mutation(({ ctx, input }) =>
        ctx.services.admin.createApiClient(input.name, input.scopes, actorOf(ctx)),
      ),

    list: adminProcedure.query(async ({ ctx }) => ({ items: await ctx.services.admin.listApiClients() })),

    disable: adminProcedure
      .input(z.strictObject({ clientId: printableKeySchema(200) }))
      .mutation(({ ctx, input }) => ctx.services.admin.disableApiClient(input.clientId, actorOf(ctx))),
  }),

  /** Price messages the valuer gave up on: list them, or send one back to the valuer. */
  dlq: router({
    list: adminProcedure
      .input(z.strictObject({ limit: z.number().int().min(1).max(500).default(50) }))
      .query(async ({ ctx, input }) => ({ items: await ctx.services.deadLetters.list(input.limit) })),

    replay: adminProcedure
      .input(z.strictObject({ seq: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER) }))
      .mutation(({ ctx, input }) => ctx.services.deadLetters.replay(input.seq)),
  }),

  prices: adminPricesRouter,

  instruments: adminInstrumentsRouter,
});
