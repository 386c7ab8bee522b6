import type { CanonicalEvent, Problem } from '@poshub/model';

/** Names of the formats poshub reads; `--format` takes these. */
export const FORMATS = [
  'canonical',
  'poslog',
  'shopify',
  'square',
  'lightspeed-x',
  'lightspeed-r',
  'adyen',
] as const;
export type FormatName = (typeof FORMATS)[number];

/** What the caller knows that a document may not say. */
export interface NormalizeOptions {
  /** The store's IANA time zone: turns local times into instants and derives business days. */
  timeZone?: string | undefined;
  /** Currency to use where the document names none (or names XXX). */
  currency?: string | undefined;
  /** Store id to use where the document has none (Shopify orders carry only a location id, sometimes not even that). */
  storeId?: string | undefined;
}

/** One result of normalising: an event that passed every check, or the problems of one unit of the document. */
export type NormalizedItem =
  | { ok: true; event: CanonicalEvent; warnings: Problem[] }
  | { ok: false; problems: Problem[]; unit?: string };

/** A document to normalise: whole text for JSON formats, chunks for streaming formats (POSLog). */
export interface DocumentInput {
  text(): Promise<string>;
  chunks(): AsyncIterable<string>;
}

/** A vendor format: detection from the first bytes, and a normaliser that yields unchecked candidates. */
export interface Normalizer {
  format: FormatName;
  description: string;
  /** Cheap check on the first few kilobytes of the document. */
  detect(head: string): boolean;
  /**
   * Yields canonical event candidates (checked afterwards by the pipeline) or the problems that stopped
   * a unit of the document (one transaction of a POSLog day, one refund...).
   */
  normalize(input: DocumentInput, options: NormalizeOptions): AsyncIterable<NormalizedCandidate>;
}

/** What a normaliser yields before the shared checks: an event candidate, or problems. */
export type NormalizedCandidate =
  | { ok: true; event: CanonicalEvent; warnings?: Problem[]; unit?: string }
  | { ok: false; problems: Problem[]; unit?: string };
