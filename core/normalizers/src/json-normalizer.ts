import type {
  DocumentInput,
  FormatName,
  NormalizedCandidate,
  NormalizeOptions,
  Normalizer,
} from './normalizer.ts';
import { parseVendorJson, type VendorJson } from './vendor-json.ts';

/** A candidate that refuses the whole document with one problem. */
export function refuseDocument(code: string, message: string, pointer = ''): NormalizedCandidate {
  return { ok: false, problems: [{ code, pointer, message, severity: 'error' }] };
}

/**
 * A normaliser of a JSON vendor format: the document is parsed without a float (numbers keep their source
 * text) and handed to `map`, which yields one candidate per unit (sale, refund, count...).
 */
export function jsonNormalizer(spec: {
  format: FormatName;
  description: string;
  detect: (head: string) => boolean;
  map: (root: VendorJson, options: NormalizeOptions) => Iterable<NormalizedCandidate>;
}): Normalizer {
  return {
    format: spec.format,
    description: spec.description,
    detect: spec.detect,
    async *normalize(input: DocumentInput, options: NormalizeOptions): AsyncIterable<NormalizedCandidate> {
      const parsed = parseVendorJson(await input.text());
      if (!parsed.ok) {
        yield refuseDocument('json.invalid', `not valid JSON: ${parsed.message}`);
        return;
      }
      yield* spec.map(parsed.value, options);
    },
  };
}
