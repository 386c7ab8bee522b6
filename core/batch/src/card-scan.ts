import type { Problem } from '@poshub/model';

/**
 * How rows are searched for full card numbers. Handed in by the caller (the ingest API passes
 * @poshub/rules), so every path into the hub applies the same detection.
 */
export interface CardScan {
  /** A problem for each full card number in a parsed row; `exempt` skips values known not to be cards. */
  inValue(value: unknown, exempt: (at: PropertyKey[], node: unknown) => boolean): Problem[];
  /** Whether text holds a full card number anywhere. */
  inText(text: string): boolean;
  /** Parses JSON keeping each number as its source text, so a 19-digit number is scanned as written. */
  parseForScan(text: string): unknown;
}
