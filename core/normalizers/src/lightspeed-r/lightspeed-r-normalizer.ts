import type { Normalizer } from '../normalizer.ts';

// Placeholder until the lightspeed-r normaliser lands: never detected, refuses with a clear problem.
export const lightspeedRNormalizer: Normalizer = {
  format: 'lightspeed-r',
  description: 'lightspeed-r (not yet supported)',
  detect: () => false,
  async *normalize() {
    yield {
      ok: false,
      problems: [{ code: 'format.unsupported', pointer: '', message: 'lightspeed-r is not supported yet' }],
    };
  },
};
