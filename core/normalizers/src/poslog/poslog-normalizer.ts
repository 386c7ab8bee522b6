import type { DocumentInput, NormalizedCandidate, NormalizeOptions, Normalizer } from '../normalizer.ts';
import { cardNumbersInElement } from './card-numbers-in-element.ts';
import { mapTransaction } from './map-transaction.ts';
import { streamPoslog } from './stream-poslog.ts';

// Skips an XML declaration, comments and processing instructions before the root element.
const PROLOG = /^\s*(?:<\?[\s\S]*?\?>\s*|<!--[\s\S]*?-->\s*|<!DOCTYPE[^>]*>\s*)*/i;
const POSLOG_ROOT = /^<(?:[A-Za-z_][\w.-]*:)?POSLog[\s>/]/;
const POSLOG_NAMESPACE = /nrf-arts\.org\/IXRetail\/namespace/i;

/** True when a document head looks like ARTS POSLog: a POSLog root (any prefix) or the ARTS namespace. */
export function detectPoslog(head: string): boolean {
  const rest = head.replace(/^\uFEFF/, '').replace(PROLOG, '');
  if (!rest.startsWith('<')) return false;
  return POSLOG_ROOT.test(rest) || POSLOG_NAMESPACE.test(head);
}

/**
 * ARTS POSLog XML, 2.x and 6.x, any namespace prefix. Streamed: one transaction tree at a time, so a
 * whole business day in one document keeps memory flat. Each transaction is checked for full card
 * numbers before it is mapped, and refused (alone) when it holds one.
 */
export const poslogNormalizer: Normalizer = {
  format: 'poslog',
  description: 'ARTS POSLog XML 2.x / 6.x (a whole business day per document, streamed)',
  detect: detectPoslog,
  async *normalize(input: DocumentInput, options: NormalizeOptions): AsyncIterable<NormalizedCandidate> {
    for await (const unit of streamPoslog(input.chunks())) {
      if (unit.kind === 'problems') {
        yield { ok: false, problems: unit.problems, ...(unit.unit ? { unit: unit.unit } : {}) };
        continue;
      }
      const cards = cardNumbersInElement(unit.element);
      if (cards.length > 0) {
        yield { ok: false, problems: cards, unit: unit.element.base ?? '' };
        continue;
      }
      yield mapTransaction(unit.element, unit.document, options);
    }
  },
};
