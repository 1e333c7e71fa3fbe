import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import { router } from '../trpc/init';
import { accountsRouter } from './accounts';
import { adminRouter } from './admin';
import { advisorRouter } from './advisor';
import { alertsRouter } from './alerts';
import { authRouter } from './auth';
import { instrumentsRouter } from './instruments';
import { notificationsRouter } from './notifications';
import { portfolioRouter } from './portfolio';
import { pricesRouter } from './prices';
import { transactionsRouter } from './transactions';

/** The whole API: one router per domain. */
export const appRouter = router({
  auth: authRouter,
  accounts: accountsRouter,
  transactions: transactionsRouter,
  portfolio: portfolioRouter,
  instruments: instrumentsRouter,
  prices: pricesRouter,
  advisor: advisorRouter,
  admin: adminRouter,
  alerts: alertsRouter,
  notifications: notificationsRouter,
});

export type AppRouter = typeof appRouter;
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
