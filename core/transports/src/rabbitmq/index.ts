export * from './delete-rabbitmq-namespace.ts';
export * from './rabbitmq-errors.ts';
export { assertNamespace } from './rabbitmq-names.ts';
export * from './rabbitmq-transport.ts';
export { DEFAULT_RETRY_TIERS_MS, retryTierFor } from './retry-tiers.ts';
