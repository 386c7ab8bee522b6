import type { Normalizer } from '../normalizer.ts';

// Placeholder until the lightspeed-x normaliser lands: never detected, refuses with a clear problem.
export const lightspeedXNormalizer: Normalizer = {
  format: 'lightspeed-x',
  description: 'lightspeed-x (not yet supported)',
  detect: () => false,
  async *normalize() {
    yield {
      ok: false,
      problems: [{ code: 'format.unsupported', pointer: '', message: 'lightspeed-x is not supported yet' }],
    };
  },
};
