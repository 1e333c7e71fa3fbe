import type { Selectable } from 'kysely';
import { toIso, toOptionalIso } from '../codec';
import type { Db, InstrumentRequestsTable } from '../schema';

export const REQUEST_STATUSES = ['pending', 'approved', 'rejected'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

/** An instrument someone asked the catalogue to add, and what became of it. */
export interface InstrumentRequest {
  readonly id: string;
  readonly requestedBy: string;
  readonly source: string;
  readonly sourceSymbol: string;
  /** The lookup's candidate as it was found (the server's schema reads it). */
  readonly candidate: unknown;
  readonly status: RequestStatus;
  readonly instrumentId: string | null;
  readonly decidedBy: string | null;
  readonly decidedAt: string | null;
  readonly reason: string | null;
  readonly createdAt: string;
}

export interface NewInstrumentRequest {
  readonly requestedBy: string;
  readonly source: string;
  readonly sourceSymbol: string;
  readonly candidate: unknown;
}

function toRequest(row: Selectable<InstrumentRequestsTable>): InstrumentRequest {
  return {
    id: row.id,
    requestedBy: row.requested_by,
    source: row.source,
    sourceSymbol: row.source_symbol,
    candidate: row.candidate,
    status: row.status as RequestStatus,
    instrumentId: row.instrument_id,
    decidedBy: row.decided_by,
    decidedAt: toOptionalIso(row.decided_at),
    reason: row.reason,
    createdAt: toIso(row.created_at),
  };
}

/**
 * Opens a request, or returns the one already open for the same instrument at the same source (one
 * pending request per instrument: a second investor asking joins the first). `created` says which.
 */
export async function openRequest(
  db: Db,
  request: NewInstrumentRequest,
): Promise<{ request: InstrumentRequest; created: boolean }> {
  const inserted = await db
    .insertInto('instrument_requests')
    .values({
      requested_by: request.requestedBy,
      source: request.source,
      source_symbol: request.sourceSymbol,
      candidate: JSON.stringify(request.candidate),
    })
    .onConflict((oc) => oc.columns(['source', 'source_symbol']).where('status', '=', 'pending').doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) return { request: toRequest(inserted), created: true };
  const open = await db
    .selectFrom('instrument_requests')
    .selectAll()
    .where('source', '=', request.source)
    .where('source_symbol', '=', request.sourceSymbol)
    .where('status', '=', 'pending')
    .executeTakeFirstOrThrow();
  return { request: toRequest(open), created: false };
}

export async function findRequest(db: Db, id: string): Promise<InstrumentRequest | undefined> {
  const row = await db.selectFrom('instrument_requests').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toRequest(row);
}

export interface RequestQuery {
  readonly status?: RequestStatus | undefined;
  readonly requestedBy?: string | undefined;
  readonly limit: number;
  readonly offset?: number | undefined;
}

/** Oldest first: requests wait in the order they came. */
export async function listRequests(db: Db, query: RequestQuery): Promise<InstrumentRequest[]> {
  let select = db.selectFrom('instrument_requests').selectAll();
  if (query.status !== undefined) select = select.where('status', '=', query.status);
  if (query.requestedBy !== undefined) select = select.where('requested_by', '=', query.requestedBy);
  const rows = await select
    .orderBy('created_at')
    .orderBy('id')
    .limit(query.limit)
    .offset(query.offset ?? 0)
    .execute();
  return rows.map(toRequest);
}

export async function countRequests(db: Db, status?: RequestStatus): Promise<number> {
  let select = db.selectFrom('instrument_requests').select((eb) => eb.fn.countAll<string>().as('n'));
  if (status !== undefined) select = select.where('status', '=', status);
  return Number((await select.executeTakeFirstOrThrow()).n);
}

export type RequestDecision =
  | { readonly status: 'approved'; readonly instrumentId: string }
  | { readonly status: 'rejected'; readonly reason: string | null };

/**
 * Decides a pending request (the row is locked until the transaction ends: whoever decides first is the
 * only one who does); undefined when it is not pending (or does not exist).
 */
export async function decideRequest(
  db: Db,
  id: string,
  decision: RequestDecision,
  by: { readonly userId: string | null; readonly at: Date },
): Promise<InstrumentRequest | undefined> {
  const row = await db
    .updateTable('instrument_requests')
    .set({
      status: decision.status,
      instrument_id: decision.status === 'approved' ? decision.instrumentId : null,
      reason: decision.status === 'rejected' ? decision.reason : null,
      decided_by: by.userId,
      decided_at: by.at,
    })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .returningAll()
    .executeTakeFirst();
  return row && toRequest(row);
}

/**
 * Approves every pending request for an instrument that was just added another way (an admin added it,
 * an import did): nobody is left waiting for an instrument the catalogue has.
 */
export async function approvePendingFor(
  db: Db,
  source: string,
  sourceSymbol: string,
  instrumentId: string,
  by: { readonly userId: string | null; readonly at: Date },
): Promise<InstrumentRequest[]> {
  const rows = await db
    .updateTable('instrument_requests')
    .set({ status: 'approved', instrument_id: instrumentId, decided_by: by.userId, decided_at: by.at })
    .where('source', '=', source)
    .where('source_symbol', '=', sourceSymbol)
    .where('status', '=', 'pending')
    .returningAll()
    .execute();
  return rows.map(toRequest);
}
