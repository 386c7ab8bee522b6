export * from './card-numbers.ts';
export * from './check-event.ts';
export * from './check-transaction.ts';
