import type { Normalizer } from '../normalizer.ts';

// Placeholder until the adyen normaliser lands: never detected, refuses with a clear problem.
export const adyenNormalizer: Normalizer = {
  format: 'adyen',
  description: 'adyen (not yet supported)',
  detect: () => false,
  async *normalize() {
    yield {
      ok: false,
      problems: [{ code: 'format.unsupported', pointer: '', message: 'adyen is not supported yet' }],
    };
  },
};
