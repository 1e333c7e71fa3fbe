/** Broker test support for the packages' and apps' tests (never imported by production code). */
export { openTestBus, TEST_NATS_URL, type TestBus } from './test-bus';
