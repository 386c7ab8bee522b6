export * from './document-input.ts';
export * from './map-context.ts';
export * from './normalize-document.ts';
export * from './normalizer.ts';
export * from './registry.ts';
export * from './timestamp.ts';
export * from './vendor-json.ts';
