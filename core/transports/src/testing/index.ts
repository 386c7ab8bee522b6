export * from './transport-conformance.ts';
