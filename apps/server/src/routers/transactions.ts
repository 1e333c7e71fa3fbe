import { router } from '../trpc/init';

// Being written (issue #3).
export const transactionsRouter = router({});
