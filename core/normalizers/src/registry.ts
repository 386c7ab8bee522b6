import { adyenNormalizer } from './adyen/adyen-normalizer.ts';
import { canonicalNormalizer } from './canonical/canonical-normalizer.ts';
import { lightspeedRNormalizer } from './lightspeed-r/lightspeed-r-normalizer.ts';
import { lightspeedXNormalizer } from './lightspeed-x/lightspeed-x-normalizer.ts';
import type { FormatName, Normalizer } from './normalizer.ts';
import { poslogNormalizer } from './poslog/poslog-normalizer.ts';
import { shopifyNormalizer } from './shopify/shopify-normalizer.ts';
import { squareNormalizer } from './square/square-normalizer.ts';

/** Every normaliser, in detection order: the most specific signatures first. */
export const NORMALIZERS: readonly Normalizer[] = [
  canonicalNormalizer,
  poslogNormalizer,
  adyenNormalizer,
  squareNormalizer,
  lightspeedXNormalizer,
  lightspeedRNormalizer,
  shopifyNormalizer,
];

/** The normaliser for a format name. */
export function normalizerFor(format: FormatName): Normalizer {
  const found = NORMALIZERS.find((n) => n.format === format);
  if (!found) throw new TypeError(`no normaliser for ${format}`);
  return found;
}

/** The format of a document, from its first few kilobytes; undefined when no normaliser recognises it. */
export function detectFormat(head: string): FormatName | undefined {
  return NORMALIZERS.find((n) => n.detect(head))?.format;
}
