import type { Normalizer } from '../normalizer.ts';

// Placeholder until the poslog normaliser lands: never detected, refuses with a clear problem.
export const poslogNormalizer: Normalizer = {
  format: 'poslog',
  description: 'poslog (not yet supported)',
  detect: () => false,
  async *normalize() {
    yield {
      ok: false,
      problems: [{ code: 'format.unsupported', pointer: '', message: 'poslog is not supported yet' }],
    };
  },
};
