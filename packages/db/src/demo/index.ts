export { CATALOGUE } from './catalogue';
export type { DemoData, DemoUser } from './generate-demo-data';
export {
  ADMIN_EMAIL,
  advisorEmail,
  DEMO_AS_OF,
  DEMO_LOGINS,
  DEMO_PASSWORD,
  generateDemoData,
  investorEmail,
} from './generate-demo-data';
export { type DemoLoadSummary, hasAnyUser, loadDemoData } from './load-demo-data';
