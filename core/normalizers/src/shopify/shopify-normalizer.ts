import type { Normalizer } from '../normalizer.ts';

// Placeholder until the shopify normaliser lands: never detected, refuses with a clear problem.
export const shopifyNormalizer: Normalizer = {
  format: 'shopify',
  description: 'shopify (not yet supported)',
  detect: () => false,
  async *normalize() {
    yield {
      ok: false,
      problems: [{ code: 'format.unsupported', pointer: '', message: 'shopify is not supported yet' }],
    };
  },
};
