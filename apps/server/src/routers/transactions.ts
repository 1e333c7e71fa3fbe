import { TRANSACTION_TYPES } from '@tickfolio/core';
import { z } from 'zod';
import { IMPORT_FORMATS } from '../services/import/import-transactions';
import { ownerOf } from '../services/owner-of';
import { checkFieldsForType, tradeDateSchema, transactionFieldsShape } from '../services/transaction-input';
import { protectedProcedure, router } from '../trpc/init';

const idempotencyKey = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces');

/** The opaque cursor transactions.list returns: base64url of "<ISO instant>|<sequence>". */
const cursor = z
  .string()
  .max(200)
  .regex(/^[A-Za-z0-9_-]+$/)
  .refine((text) => {
    const [date, sequence] = Buffer.from(text, 'base64url').toString().split('|');
    return date !== undefined && /^\d+$/.test(sequence ?? '') && !Number.isNaN(Date.parse(date));
  }, 'not a cursor returned by transactions.list');

/** 5 MB of text; the HTTP body limit (BODY_LIMIT_BYTES) must allow it too. */
const MAX_IMPORT_CHARS = 5 * 1024 * 1024;

/**
 * The ledger. Amounts are decimal strings (quantities and prices up to 8 places). Domain refusals
 * (OVERSELL, CURRENCY_MISMATCH, …) are BAD_REQUEST with data.reason = the code and change nothing;
 * writes to a closed account are CONFLICT; another owner's data is NOT_FOUND, like a missing id.
 */
export const transactionsRouter = router({
  /** Newest first, paged: pass nextCursor back as cursor. Scope: accountId, or ownerId (default: caller). */
  list: protectedProcedure
    .input(
      z
        .strictObject({
          accountId: z.uuid().optional(),
          ownerId: z.uuid().optional(),
          instrumentId: z.uuid().optional(),
          types: z.array(z.enum(TRANSACTION_TYPES)).min(1).max(TRANSACTION_TYPES.length).optional(),
          from: tradeDateSchema.optional(),
          to: tradeDateSchema.optional(),
          limit: z.int().min(1).max(500).default(50),
          cursor: cursor.optional(),
        })
        .refine((q) => q.accountId === undefined || q.ownerId === undefined, {
          message: 'give accountId or ownerId, not both',
          path: ['ownerId'],
        }),
    )
    .query(({ ctx, input }) => {
      const { accountId, ownerId, ...filters } = input;
      const scope = accountId ? { accountId } : { ownerId: ownerOf(ctx.principal, ownerId) };
      return ctx.services.transactions.list(ctx.principal, { scope, ...filters });
    }),

  add: protectedProcedure
    .input(
      z
        .strictObject({
          accountId: z.uuid(),
          ...transactionFieldsShape,
          idempotencyKey: idempotencyKey.optional(),
        })
        .superRefine(checkFieldsForType),
    )
    .mutation(({ ctx, input }) => ctx.services.transactions.add(ctx.principal, input, ctx.requestId)),

  /** Returns the deleted transaction. BAD_REQUEST (e.g. OVERSELL) when later sells relied on it. */
  delete: protectedProcedure
    .input(z.strictObject({ transactionId: z.uuid() }))
    .mutation(({ ctx, input }) =>
      ctx.services.transactions.delete(ctx.principal, input.transactionId, ctx.requestId),
    ),

  /**
   * Imports a file into one account, all or nothing (formats: see services/import). The outcome is
   * always a result, never an error, when the file itself is at fault: `{ imported, skipped, errors,
   * errorCount, dryRun }`. With any bad row, `imported` is 0, nothing is written, and `errors` lists
   * each row (`row` = CSV line, header = 1, or 1-based JSON activity; 0 = the whole file), the `field`
   * when one is at fault and a `reason` code for ledger refusals. Importing the same file again (or
   * with the same idempotencyKey) skips the rows already recorded. A dry run reports without writing.
   */
  import: protectedProcedure
    .input(
      z.strictObject({
        accountId: z.uuid(),
        format: z.enum(IMPORT_FORMATS),
        content: z.string().min(1).max(MAX_IMPORT_CHARS),
        dryRun: z.boolean().optional(),
        idempotencyKey: idempotencyKey.optional(),
      }),
    )
    .mutation(({ ctx, input }) => ctx.services.transactions.import(ctx.principal, input, ctx.requestId)),
});
