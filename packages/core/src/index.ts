export * from './currency';
export * from './decimal';
export * from './domain';
export * from './errors';
export * from './holdings';
