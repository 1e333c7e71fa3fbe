export * from './webhook-payload';
export * from './webhook-replay-guard';
export * from './webhook-signature';
