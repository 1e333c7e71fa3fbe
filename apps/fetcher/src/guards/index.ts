export * from './quote-guard';
