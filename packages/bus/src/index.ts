/**
 * The broker: stream names and subjects, the events and requests the streams carry, the topology
 * (one definition of each stream and consumer), the connection, the publisher, the pipeline's ports
 * with their JetStream and in-process adapters, and the one restartable consume loop.
 */

export {
  type BusEvent,
  type FxUpdatedEvent,
  type PortfolioChangedEvent,
  type PriceUpdatedEvent,
  portfolioChangedEventSchema,
  priceUpdatedEventSchema,
} from './bus-events';
export { connectNats } from './connect-nats';
export { runConsumeLoop } from './consume-loop';
export { createInProcessBus } from './in-process-bus';
export { connectJetStreamBus } from './jetstream-bus';
export { HEADER } from './jetstream-headers';
export { createJetStreamPublisher } from './jetstream-publisher';
export type {
  DeadLetterInput,
  DeadLetterQueue,
  InboundPriceMessage,
  LoggedEvent,
  PipelineBus,
  PortfolioEventLog,
  PriceMessageSource,
} from './ports';
export { type PriceEventPublisher, priceQuoteId } from './price-messages';
export { type RefreshRequest, refreshPeriodId, refreshRequestSchema } from './refresh-request';
export {
  fxUpdatedSubject,
  portfolioChangedSubject,
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
