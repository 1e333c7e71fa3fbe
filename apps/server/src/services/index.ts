import { createAuthService } from '../auth/auth-service';
import { createAccessPolicy } from './access-policy';
import { createAccountService } from './account-service';
import { createAdminService } from './admin-service';
import { createAdvisorService } from './advisor-service';
import { createInstrumentService } from './instrument-service';
import { createPortfolioService } from './portfolio-service';
import type { ServiceDeps } from './service-deps';
import { createTransactionService } from './transaction-service';

/** Builds every service once, in dependency order. */
export function createServices(deps: ServiceDeps, auth: { readonly jwtSecret: string }) {
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
  const portfolio = createPortfolioService(deps, access);
  const accounts = createAccountService(deps, access, portfolio);
  const transactions = createTransactionService(deps, access, portfolio);
  const instruments = createInstrumentService(deps);
  const advisor = createAdvisorService(deps, access, portfolio);
  const admin = createAdminService(deps, authService);
  return { access, auth: authService, portfolio, accounts, transactions, instruments, advisor, admin };
}

export type Services = ReturnType<typeof createServices>;
