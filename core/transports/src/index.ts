export * from './dispatch-message.ts';
export * from './keyed-runner.ts';
export * from './settle-delivery.ts';
export * from './transport.ts';
