/**
 * Test support for the API's clients: one real server process per test run (a vitest globalSetup),
 * clients typed with the contract, and a way to push prices through the real pipeline.
 */
export { findPricedClientHolding, signIn } from './clients';
export { provideApiServer } from './global-setup';
export { openQuotePublisher, type QuotePublisher } from './quotes';
