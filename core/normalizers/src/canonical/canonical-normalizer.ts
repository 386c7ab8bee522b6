import type { CanonicalEvent } from '@poshub/model';
import type { DocumentInput, NormalizedCandidate, Normalizer } from '../normalizer.ts';

/**
 * The canonical JSON itself: one CloudEvent, a JSON array of them, or NDJSON (one per line).
 * Candidates go through the same checks as every vendor format.
 */
export const canonicalNormalizer: Normalizer = {
  format: 'canonical',
  description: 'poshub canonical events (CloudEvents JSON, a JSON array of them, or NDJSON)',
  detect: (head) => /^\s*[[{]/.test(head) && /"specversion"\s*:/.test(head),
  async *normalize(input: DocumentInput): AsyncIterable<NormalizedCandidate> {
    const text = await input.text();
    const trimmed = text.trim();
    let docs: Array<{ value: unknown; pointer: string }> = [];
    let whole: unknown;
    let wholeError: unknown;
    try {
      whole = JSON.parse(trimmed);
    } catch (error) {
      wholeError = error;
    }
    if (wholeError === undefined) {
      docs = Array.isArray(whole)
        ? whole.map((value, i) => ({ value, pointer: `/${i}` }))
        : [{ value: whole, pointer: '' }];
    } else if (trimmed.includes('\n')) {
      // NDJSON: one event per line; a bad line is reported and the others still go through.
      for (const [i, line] of trimmed.split('\n').entries()) {
        if (line.trim() === '') continue;
        try {
          docs.push({ value: JSON.parse(line), pointer: `/${i}` });
        } catch (error) {
          yield {
            ok: false,
            unit: `line ${i + 1}`,
            problems: [jsonProblem(error, `/${i}`, `line ${i + 1}: `)],
          };
        }
      }
    } else {
      yield { ok: false, problems: [jsonProblem(wholeError, '')] };
      return;
    }
    if (Array.isArray(whole) && docs.length === 0) {
      // An empty array is not a batch of nothing to do: a client sending one has lost its events.
      yield {
        ok: false,
        problems: [
          { code: 'canonical.empty', pointer: '', message: 'the document holds no event', severity: 'error' },
        ],
      };
      return;
    }
    for (const { value, pointer } of docs) {
      const type = (value as { type?: unknown } | null)?.type;
      if (typeof type === 'string' && type.endsWith('.imported.v1')) {
        // Import batches carry up to 1,000 rows under an import job: only the imports API (erp:batch) makes them.
        yield {
          ok: false,
          unit: pointer || undefined,
          problems: [
            {
              code: 'canonical.import_only',
              pointer: `${pointer}/type`,
              message: `${type} events are made by bulk imports: send the rows to POST /v1/imports (scope erp:batch)`,
              severity: 'error',
            },
          ],
        };
        continue;
      }
      yield { ok: true, event: value as CanonicalEvent, unit: pointer || undefined };
    }
  },
};

function jsonProblem(error: unknown, pointer: string, prefix = '') {
  return {
    code: 'json.invalid',
    pointer,
    message: `${prefix}not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
    severity: 'error' as const,
  };
}
