import type { Holding, Totals } from '../api/types';
import {
  createDashboardReducer,
  type DashboardEvent,
  type DashboardState,
  FLASH_MS,
} from './dashboard-state';

/** A holding is one instrument in one account. */
export const holdingKey = (h: Pick<Holding, 'accountId' | 'instrumentId'>) =>
  `${h.accountId}/${h.instrumentId}`;

export type PortfolioDashboardState = DashboardState<Totals, Holding>;
export type PortfolioDashboardEvent = DashboardEvent<Totals, Holding>;

export const reducePortfolioDashboard = createDashboardReducer<Totals, Holding>({
  rowKey: holdingKey,
  rowFields: ['price', 'marketValue', 'dayChange'],
  totalsFields: ['marketValue', 'dayChange', 'unrealizedGain'],
  flashMs: FLASH_MS,
});
