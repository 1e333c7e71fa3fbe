import { singleLineTextSchema } from '@tickfolio/core';
import { webhooks } from '@tickfolio/db';
import { z } from 'zod';
import { trackedEvents } from '../live/tracked-events';
import { router, userProcedure } from '../trpc/init';
import { lastEventIdOf, lastEventIdSchema } from './live-input';

/** An http(s) address a notification can be POSTed to. */
const webhookUrlSchema = z
  .url({ protocol: /^https?$/, error: 'url must be an http or https address' })
  .max(2000, 'url must be at most 2000 characters');

/** The caller's inbox of notifications, live, and their outbound webhook (people only). */
export const notificationsRouter = router({
  /** Newest first; `before` (a notification id) pages on. */
  list: userProcedure
    .input(
      z
        .strictObject({
          unreadOnly: z.boolean().optional(),
          limit: z.number().int().min(1).max(200).optional(),
          before: z.uuid().optional(),
        })
        .optional(),
    )
    .query(({ ctx, input }) => ctx.services.notifications.list(ctx.principal, input ?? {})),

  /** One notification (id) or all of them (all: true). */
  markRead: userProcedure
    .input(
      z.union([z.strictObject({ id: z.uuid() }), z.strictObject({ all: z.literal(true) })], {
        error: 'give an id, or all: true',
      }),
    )
    .mutation(({ ctx, input }) => ctx.services.notifications.markRead(ctx.principal, input)),

  unreadCount: userProcedure.query(({ ctx }) => ctx.services.notifications.unreadCount(ctx.principal)),

  /** New notifications as they are stored (notification.created), tracked by stream sequence. */
  live: userProcedure
    .input(z.strictObject({ lastEventId: lastEventIdSchema }).optional())
    .subscription(async function* ({ ctx, input, signal }) {
      yield* trackedEvents(() =>
        ctx.services.notifications.live(
          ctx.session,
          lastEventIdOf(input),
          signal ?? new AbortController().signal,
        ),
      );
    }),

  webhook: router({
    /** The webhook's address (the secret is never sent back), or null. */
    get: userProcedure.query(({ ctx }) => ctx.services.notifications.webhook.get(ctx.principal)),

    /**
     * Where to POST each new notification, signed with `secret` (HMAC-SHA256 over `timestamp.body`, the
     * price webhooks' scheme: docs/notifications.md).
     */
    set: userProcedure
      .input(
        z.strictObject({
          url: webhookUrlSchema,
          secret: singleLineTextSchema(200).refine(
            (s) => s.length >= 16,
            'secret must be at least 16 characters',
          ),
        }),
      )
      .mutation(({ ctx, input }) => ctx.services.notifications.webhook.set(ctx.principal, input)),

    delete: userProcedure.mutation(({ ctx }) => ctx.services.notifications.webhook.remove(ctx.principal)),

    /** Deliveries, newest first: pending, delivered, or dead after the last retry (with the last error). */
    deliveries: userProcedure
      .input(
        z
          .strictObject({
            status: z.enum(webhooks.DELIVERY_STATUSES).optional(),
            limit: z.number().int().min(1).max(200).optional(),
            /** Admins: another user's. */
            userId: z.uuid().optional(),
          })
          .optional(),
      )
      .query(({ ctx, input }) => ctx.services.notifications.webhook.deliveries(ctx.principal, input ?? {})),
  }),
});
