/**
 * The broker: stream names and subjects, the events and requests the streams carry, the topology
 * (one definition of each stream and consumer), the connection, the publisher, the pipeline's ports
 * with their JetStream and in-process adapters, and the one restartable consume loop.
 */

export { readConsumerStats } from './broker-stats';
export {
  type BusEvent,
  type FxUpdatedEvent,
  type NotificationCreatedEvent,
  notificationCreatedEventSchema,
  type PortfolioChangedEvent,
  type PriceUpdatedEvent,
  portfolioChangedEventSchema,
  priceUpdatedEventSchema,
} from './bus-events';
export {
  type CatalogueRequests,
  createNatsCatalogueRequests,
  LookupUnavailableError,
  serveInstrumentLookup,
} from './catalogue-requests';
export { connectNats, natsUrlSchema } from './connect-nats';
export { runConsumeLoop } from './consume-loop';
export { createInProcessBus } from './in-process-bus';
export {
  type InstrumentCandidate,
  instrumentCandidateSchema,
  LOOKUP_LIMIT_MAX,
  LOOKUP_QUERY_MAX,
  type LookupReply,
  type LookupRequest,
  type LookupSourceOutcome,
} from './instrument-lookup';
export { connectJetStreamBus } from './jetstream-bus';
export { HEADER } from './jetstream-headers';
export { createJetStreamPublisher } from './jetstream-publisher';
export type {
  BrokerStats,
  DeadLetterInput,
  DeadLetterQueue,
  EventMeta,
  InboundPriceMessage,
  LoggedEvent,
  NotifierDelivery,
  NotifierEventSource,
  PipelineBus,
  PortfolioEventLog,
  PriceMessageSource,
} from './ports';
export { type PriceEventPublisher, priceQuoteId } from './price-messages';
export {
  type RefreshMessage,
  type RefreshRequest,
  refreshMessageSchema,
  refreshPeriodId,
} from './refresh-request';
export type { SessionRevocations } from './session-revocations';
export {
  fxUpdatedSubject,
  notificationSubject,
  portfolioChangedSubject,
  portfolioSubjectTopic,
  priceUpdatedSubject,
  type StreamNames,
  streamNames,
} from './stream-names';
export {
  ensureFetcherTopology,
  ensureRefreshConsumer,
  REFRESH_CONSUMER,
  type ValuerConsumerSettings,
} from './topology';
