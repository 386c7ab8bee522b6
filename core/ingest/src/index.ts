export * from './auth.ts';
export * from './business-key.ts';
export * from './commit-events.ts';
export * from './create-ingest-app.ts';
export * from './dev-issuer.ts';
export * from './ingest-config.ts';
export * from './ingest-outcome.ts';
export * from './start-ingest-server.ts';
