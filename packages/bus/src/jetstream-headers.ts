/** Headers the JetStream adapters put on the messages they publish. */
export const HEADER = {
  /** On PORTFOLIO events: the replica that published it. */
  origin: 'Tickfolio-Origin',
  /** On PORTFOLIO price and rate events: when the quote that caused it was stored in PRICES (ms). */
  tickPublishedAt: 'Tickfolio-Tick-Published-At',
  /** On dead letters: where the message came from, and why it was given up. */
  subject: 'Tickfolio-Original-Subject',
  seq: 'Tickfolio-Original-Seq',
  reason: 'Tickfolio-Reason',
  deliveries: 'Tickfolio-Deliveries',
} as const;
