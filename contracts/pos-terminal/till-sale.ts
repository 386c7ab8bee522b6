import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const SALE = join(
  import.meta.dirname,
  '..',
  '..',
  'core',
  'normalizers',
  'fixtures',
  'canonical',
  'sale-two-lines.json',
);

// biome-ignore lint/suspicious/noExplicitAny: a fixture edited as plain JSON; the hub checks it
type Json = Record<string, any>;

/**
 * A canonical sale a till at store 0042, workstation 03, posts: the repository's fixture sale with its own
 * sequence number (and id), so each use is a distinct transaction. `unbalanced` makes the tenders not add
 * up, which the hub refuses.
 */
export function tillSale(sequence: string, options: { unbalanced?: boolean } = {}): Json {
  const sale = JSON.parse(readFileSync(SALE, 'utf8')) as Json;
  sale.id = `till-0042-03-2026-03-14-${sequence}`;
  sale.data.key.sequence = sequence;
  sale.data.receiptNumber = `0042-03-${sequence}`;
  if (options.unbalanced) sale.data.tenders[1].change.minor = 1;
  return sale;
}

/** The Idempotency-Key a till sends for a sale: stable across its retries. */
export function tillKey(sequence: string): string {
  return `till-0042-03-${sequence}`;
}
