import type { Normalizer } from '../normalizer.ts';

// Placeholder until the square normaliser lands: never detected, refuses with a clear problem.
export const squareNormalizer: Normalizer = {
  format: 'square',
  description: 'square (not yet supported)',
  detect: () => false,
  async *normalize() {
    yield {
      ok: false,
      problems: [{ code: 'format.unsupported', pointer: '', message: 'square is not supported yet' }],
    };
  },
};
