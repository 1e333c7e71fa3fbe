import type { DeadLetterQueue, PriceEventPublisher, SessionRevocations } from '@tickfolio/bus';
import { apiClients, users } from '@tickfolio/db';
import { createAuthService } from '../auth/auth-service';
import { createStandings } from '../auth/standings';
import { createDeadLetterService } from '../bus/dead-letter-service';
import type { LiveHub } from '../live/live-hub';
import { createLiveService } from '../live/live-service';
import { createSessionWatch } from '../live/session-watch';
import { createHistoryCache } from '../performance/history-cache';
import type { ValuationStore } from '../portfolio/valuation-store';
import type { InstrumentLookup } from '../ports/instrument-lookup';
import { createAccessPolicy } from './access-policy';
import { createAccountService } from './account-service';
import { createAdminService } from './admin-service';
import { createAdvisorService } from './advisor-service';
import { createAlertService } from './alert-service';
import { createHeldPriceService } from './held-price-service';
import { createCatalogueResolver } from './import/catalogue-resolver';
import { createInstrumentCatalogue } from './instrument-catalogue';
import { createInstrumentService } from './instrument-service';
import { createManualAssetService } from './manual-asset-service';
import { createNotificationService } from './notification-service';
import { createPerformanceService } from './performance-service';
import { createPortfolioService } from './portfolio-service';
import type { ServiceDeps } from './service-deps';
import { createTransactionService } from './transaction-service';
import type { FxRates } from './view-currency';

/**
 * The price pipeline's parts the API uses: this replica's live relay, the dead-letter queue, the PRICES
 * publisher, the valuation cache (whose totals the valuer's flusher patches), the valuer's follow-up of a
 * ledger write and the valuation index's FX rates (an advisor's book in the view currency).
 */
export interface PipelineParts {
  readonly hub: LiveHub;
  readonly deadLetters: DeadLetterQueue;
  /** PRICES, for held prices an admin releases and prices of manual assets set by hand. */
  readonly publisher: PriceEventPublisher;
  readonly valuationStore: ValuationStore;
  /** The fetchers' symbol lookup and pricing of new instruments (local-only in embedded mode). */
  readonly lookup: InstrumentLookup;
  /** After a ledger write's refresh: the valuer re-syncs the owner's holdings in its index. */
  ownerChanged(ownerId: string): Promise<void>;
  readonly rates: FxRates;
  /** Announcements of users whose sessions were cut short, between the replicas. */
  readonly revocations: SessionRevocations;
  /** Tells this process's notifier that alert rules changed (absent: no notifier runs here). */
  readonly rulesChanged?: () => void;
}

/** Builds every service once, in dependency order. */
export function createServices(
  deps: ServiceDeps,
  auth: { readonly jwtSecret: string },
  pipeline: PipelineParts,
) {
  const access = createAccessPolicy(deps.db);
  // Started and stopped by the composition root; unstarted (in tests), it reads a user it last read
  // more than STANDING_MAX_AGE_MS ago again.
  const standings = createStandings({ db: deps.db, revocations: pipeline.revocations, log: deps.log });
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
    standings,
  });
  // Owners' value histories kept between requests on this replica; every ledger write's refresh drops
  // the owner's (and each request checks the ledger's fingerprint, so another replica's write is seen).
  const histories = createHistoryCache({
    db: deps.db,
    entries: deps.config.performance.historyEntries,
    maxAgeMs: deps.config.performance.historyMaxAgeSeconds * 1000,
    clock: () => performance.now(),
  });
  const portfolio = createPortfolioService(
    deps,
    access,
    pipeline.valuationStore,
    pipeline.ownerChanged,
    histories,
  );
  const performanceService = createPerformanceService(deps, access, histories);
  const accounts = createAccountService(deps, access, portfolio);
  const catalogue = createInstrumentCatalogue(deps, pipeline.lookup);
  const manualAssets = createManualAssetService({
    db: deps.db,
    publisher: pipeline.publisher,
    now: deps.now,
  });
  // Imports resolve the instruments the catalogue lacks through the lookup and manual assets.
  const transactions = createTransactionService(deps, access, portfolio, {
    resolveUnknownFor: createCatalogueResolver({
      catalogue,
      manualAssets,
      requests: deps.config.catalogue.requests,
    }),
  });
  const instruments = createInstrumentService(deps);
  const advisor = createAdvisorService(deps, access, portfolio, pipeline.rates);
  const admin = createAdminService(deps, authService);
  const sessions = createSessionWatch({
    states: {
      users: (ids) => users.findUsersByIds(deps.db, ids),
      clients: (clientIds) => apiClients.findApiClientsByClientIds(deps.db, clientIds),
    },
    now: deps.now,
    intervalMs: deps.config.live.accessRecheckMs,
    log: deps.log,
  });
  const live = createLiveService({
    db: deps.db,
    access,
    hub: pipeline.hub,
    rates: pipeline.rates,
    sessions,
    queueLimit: deps.config.live.queueLimit,
    recheckMs: deps.config.live.accessRecheckMs,
    portfolioFrameMs: deps.config.live.portfolioFrameMs,
    bookFrameMs: deps.config.live.bookFrameMs,
    pricesFrameMs: deps.config.live.pricesFrameMs,
  });
  const deadLetters = createDeadLetterService(pipeline.deadLetters);
  const alerts = createAlertService(deps, access, pipeline.rulesChanged ?? (() => {}));
  const notifications = createNotificationService(deps, { hub: pipeline.hub, sessions });
  const heldPrices = createHeldPriceService({ db: deps.db, publisher: pipeline.publisher, now: deps.now });
  return {
    access,
    standings,
    auth: authService,
    portfolio,
    performance: performanceService,
    accounts,
    transactions,
    instruments,
    advisor,
    admin,
    live,
    deadLetters,
    heldPrices,
    catalogue,
    manualAssets,
    alerts,
    notifications,
  };
}

export type Services = ReturnType<typeof createServices>;
