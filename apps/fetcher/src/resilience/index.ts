export * from './sleep';
export * from './source-errors';
export * from './source-gate';
export * from './source-policy';
