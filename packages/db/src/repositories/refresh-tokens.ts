import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import { atomically } from '../atomically';
import { toDate, toIso, toOptionalIso } from '../codec';
import type { Db, RefreshTokensTable } from '../schema';

/** A refresh token as stored: only its hash, never the token. */
export interface RefreshToken {
  readonly id: string;
  readonly userId: string;
  readonly familyId: string;
  readonly tokenHash: string;
  readonly expiresAt: string;
  readonly usedAt: string | null;
  readonly replacedBy: string | null;
  readonly revokedAt: string | null;
  readonly createdAt: string;
}

function toRefreshToken(row: Selectable<RefreshTokensTable>): RefreshToken {
  return {
    id: row.id,
    userId: row.user_id,
    familyId: row.family_id,
    tokenHash: row.token_hash,
    expiresAt: toIso(row.expires_at),
    usedAt: toOptionalIso(row.used_at),
    replacedBy: row.replaced_by,
    revokedAt: toOptionalIso(row.revoked_at),
    createdAt: toIso(row.created_at),
  };
}

/** Stores a token issued at sign-in; it starts a new family unless one is given. */
export async function createRefreshToken(
  db: Db,
  input: { userId: string; tokenHash: string; expiresAt: Date | string; familyId?: string },
): Promise<RefreshToken> {
  const row = await db
    .insertInto('refresh_tokens')
    .values({
      user_id: input.userId,
      family_id: input.familyId ?? randomUUID(),
      token_hash: input.tokenHash,
      expires_at: input.expiresAt,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toRefreshToken(row);
}

export async function findRefreshTokenByHash(db: Db, tokenHash: string): Promise<RefreshToken | undefined> {
  const row = await db
    .selectFrom('refresh_tokens')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
  return row && toRefreshToken(row);
}

export type RotationResult =
  | { readonly status: 'rotated'; readonly token: RefreshToken }
  /** A spent token came back: someone holds a copy, so its whole family has been revoked. */
  | { readonly status: 'reused'; readonly userId: string; readonly familyId: string }
  /** Unknown, expired or revoked. */
  | { readonly status: 'invalid' };

/**
 * Spends the token with `tokenHash` and issues its successor in the same family, atomically: of two
 * concurrent rotations of one token, exactly one succeeds and the other is treated as reuse.
 */
export function rotateRefreshToken(
  db: Db,
  tokenHash: string,
  next: { tokenHash: string; expiresAt: Date | string },
  now: Date = new Date(),
): Promise<RotationResult> {
  return atomically(db, async (trx): Promise<RotationResult> => {
    const current = await trx
      .selectFrom('refresh_tokens')
      .selectAll()
      .where('token_hash', '=', tokenHash)
      .forUpdate()
      .executeTakeFirst();
    if (!current || current.revoked_at !== null || current.expires_at <= now) return { status: 'invalid' };
    if (current.used_at !== null) {
      await revokeRefreshTokenFamily(trx, current.family_id, now);
      return { status: 'reused', userId: current.user_id, familyId: current.family_id };
    }
    const successor = await createRefreshToken(trx, {
      userId: current.user_id,
      familyId: current.family_id,
      tokenHash: next.tokenHash,
      expiresAt: next.expiresAt,
    });
    await trx
      .updateTable('refresh_tokens')
      .set({ used_at: now, replaced_by: successor.id })
      .where('id', '=', current.id)
      .execute();
    return { status: 'rotated', token: successor };
  });
}

/** Revokes the tokens of a family still live; returns how many. */
export async function revokeRefreshTokenFamily(
  db: Db,
  familyId: string,
  now: Date = new Date(),
): Promise<number> {
  const result = await db
    .updateTable('refresh_tokens')
    .set({ revoked_at: now })
    .where('family_id', '=', familyId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Sign out everywhere: revokes every live refresh token of the user. */
export async function revokeUserRefreshTokens(
  db: Db,
  userId: string,
  now: Date = new Date(),
): Promise<number> {
  const result = await db
    .updateTable('refresh_tokens')
    .set({ revoked_at: now })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Housekeeping: deletes tokens that expired before `before`; returns how many. */
export async function deleteExpiredRefreshTokens(db: Db, before: Date | string): Promise<number> {
  // Successors point at their predecessors' ids only through replaced_by, which is set null on delete.
  const result = await db
    .deleteFrom('refresh_tokens')
    .where('expires_at', '<', toDate(before))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
