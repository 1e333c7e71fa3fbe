import type { BookClient } from '../api/types';
import {
  createDashboardReducer,
  type DashboardEvent,
  type DashboardState,
  FLASH_MS,
} from './dashboard-state';

/** One client of an advisor's book, flattened for display and flashing. */
export interface BookRow {
  readonly clientId: string;
  readonly displayName: string;
  readonly email: string;
  readonly currency: string;
  readonly marketValue: string | null;
  readonly dayChange: string | null;
  readonly dayChangePercent: string | null;
  readonly unrealizedGain: string | null;
  readonly asOf: string | null;
}

export interface BookTotals {
  readonly clients: number;
}

export type BookDashboardState = DashboardState<BookTotals, BookRow>;
export type BookDashboardEvent = DashboardEvent<BookTotals, BookRow>;

export function toBookRow(client: BookClient): BookRow {
  return {
    clientId: client.clientId,
    displayName: client.displayName,
    email: client.email,
    currency: client.totals?.currency ?? client.baseCurrency,
    marketValue: client.totals?.marketValue ?? null,
    dayChange: client.totals?.dayChange ?? null,
    dayChangePercent: client.totals?.dayChangePercent ?? null,
    unrealizedGain: client.totals?.unrealizedGain ?? null,
    asOf: client.asOf,
  };
}

export const reduceBookDashboard = createDashboardReducer<BookTotals, BookRow>({
  rowKey: (row) => row.clientId,
  rowFields: ['marketValue', 'dayChange'],
  totalsFields: [],
  flashMs: FLASH_MS,
});
