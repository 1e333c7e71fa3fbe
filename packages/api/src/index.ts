/**
 * The Tickfolio API contract, the one thing clients import to talk to the server: the router's types
 * (type-only: no server code reaches a client) and the schemas of the events its live procedures emit.
 */
export type { AppRouter, RouterInputs, RouterOutputs } from '@tickfolio/server/router';
export * from './live-events';
