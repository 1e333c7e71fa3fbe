export type { CatalogueEntry, Volatility } from './catalogue';
export { CATALOGUE, EUROPE_CATALOGUE, INDIA_FUNDS_CATALOGUE, US_CATALOGUE } from './catalogue';
export type {
  DemoAdvisorClient,
  DemoData,
  DemoDataOptions,
  DemoFxRate,
  DemoInstrumentIdentifier,
  DemoLatestPrice,
  DemoPriceKind,
  DemoPricePoint,
  DemoUser,
  IntRange,
} from './generate-demo-data';
export {
  ADMIN_EMAIL,
  advisorEmail,
  DEMO_AS_OF,
  DEMO_EMAIL_DOMAIN,
  DEMO_LOGINS,
  DEMO_PASSWORD,
  DEMO_SOURCE,
  generateDemoData,
  investorEmail,
} from './generate-demo-data';
export { type DemoLoadSummary, hasAnyUser, loadDemoData } from './load-demo-data';
export type { AccountTemplate, PoolKey, Region } from './people';
export { REGIONS } from './people';
