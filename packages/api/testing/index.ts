/**
 * Test support for the API's clients: one real server process per test run (a vitest globalSetup), or
 * one of a test's own that it can stop and start again (startApiServer), clients typed with the
 * contract, and a way to push prices through the real pipeline.
 */

export { type ApiServer, startApiServer } from './api-server';
export { findPricedClientHolding, signIn } from './clients';
export { provideApiServer } from './global-setup';
export { serveLookupAnswers } from './lookup-answers';
export { openQuotePublisher, type QuotePublisher } from './quotes';
