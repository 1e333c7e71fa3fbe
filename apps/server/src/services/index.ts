import type { DeadLetterQueue } from '@tickfolio/bus';
import { createAuthService } from '../auth/auth-service';
import { createDeadLetterService } from '../bus/dead-letter-service';
import type { LiveHub } from '../live/live-hub';
import { createLiveService } from '../live/live-service';
import type { ValuationStore } from '../portfolio/valuation-store';
import { createAccessPolicy } from './access-policy';
import { createAccountService } from './account-service';
import { createAdminService } from './admin-service';
import { createAdvisorService } from './advisor-service';
import { createInstrumentService } from './instrument-service';
import { createPortfolioService } from './portfolio-service';
import type { ServiceDeps } from './service-deps';
import { createTransactionService } from './transaction-service';

/**
 * The price pipeline's parts the API uses: this replica's live relay, the dead-letter queue, the
 * valuation cache (whose totals the valuer's flusher patches) and the valuer's follow-up of a ledger
 * write.
 */
export interface PipelineParts {
  readonly hub: LiveHub;
  readonly deadLetters: DeadLetterQueue;
  readonly valuationStore: ValuationStore;
  /** After a ledger write's refresh: the valuer re-syncs the owner's holdings in its index. */
  ownerChanged(ownerId: string): Promise<void>;
}

/** Builds every service once, in dependency order. */
export function createServices(
  deps: ServiceDeps,
  auth: { readonly jwtSecret: string },
  pipeline: PipelineParts,
) {
  const access = createAccessPolicy(deps.db);
  const authService = createAuthService({
    db: deps.db,
    hasher: deps.hasher,
    now: deps.now,
    accessTokens: {
      secret: auth.jwtSecret,
      issuer: deps.config.auth.issuer,
      audience: deps.config.auth.audience,
      ttlSeconds: deps.config.auth.accessTokenTtlSeconds,
    },
    refreshTtlSeconds: deps.config.auth.refreshTokenTtlSeconds,
  });
  const portfolio = createPortfolioService(deps, access, pipeline.valuationStore, pipeline.ownerChanged);
  const accounts = createAccountService(deps, access, portfolio);
  const transactions = createTransactionService(deps, access, portfolio);
  const instruments = createInstrumentService(deps);
  const advisor = createAdvisorService(deps, access, portfolio);
  const admin = createAdminService(deps, authService);
  const live = createLiveService({
    db: deps.db,
    access,
    hub: pipeline.hub,
    queueLimit: deps.config.live.queueLimit,
    recheckMs: deps.config.live.accessRecheckMs,
    portfolioFrameMs: deps.config.live.portfolioFrameMs,
    bookFrameMs: deps.config.live.bookFrameMs,
    pricesFrameMs: deps.config.live.pricesFrameMs,
  });
  const deadLetters = createDeadLetterService(pipeline.deadLetters);
  return {
    access,
    auth: authService,
    portfolio,
    accounts,
    transactions,
    instruments,
    advisor,
    admin,
    live,
    deadLetters,
  };
}

export type Services = ReturnType<typeof createServices>;
