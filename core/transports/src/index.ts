export * from './dispatch-message.ts';
export * from './embedded/embedded-transport.ts';
export * from './keyed-runner.ts';
export * from './settle-delivery.ts';
export * from './transport.ts';
export * from './with-timeout.ts';
