import type { AccessPolicy } from './access-policy';
import type { PortfolioService } from './portfolio-service';
import type { ServiceDeps } from './service-deps';

// Being written (issue #3).
export function createAccountService(
  _deps: ServiceDeps,
  _access: AccessPolicy,
  _portfolio: PortfolioService,
) {
  return {};
}
