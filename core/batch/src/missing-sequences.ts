/** Most missing numbers listed per workstation. */
export const MAX_MISSING_LISTED = 500;

const NUMERIC = /^\d{1,15}$/;

/** What the sequence numbers received on one workstation and day say. */
export interface SequenceCheck {
  /** Numbers in the expected range never received, at most {@link MAX_MISSING_LISTED}. */
  missing: string[];
  truncated: boolean;
  /** Received numbers outside the till's stated range. */
  outside: string[];
  first: string | undefined;
  last: string | undefined;
}

/**
 * The sequence numbers missing from those received: every number from the till's first to its last (either
 * end, when the till does not state it, is the lowest or highest received). Non-numeric sequences cannot
 * leave a gap and are ignored. Numbers are written as received (leading zeros kept) when they were.
 */
export function missingSequences(
  received: Iterable<string>,
  till: { first?: string | undefined; last?: string | undefined } = {},
): SequenceCheck {
  const seen = new Map<number, string>();
  for (const s of received) if (NUMERIC.test(s)) seen.set(Number(s), s);
  const numbers = [...seen.keys()].sort((a, b) => a - b);
  const first = till.first !== undefined && NUMERIC.test(till.first) ? Number(till.first) : numbers[0];
  const last = till.last !== undefined && NUMERIC.test(till.last) ? Number(till.last) : numbers.at(-1);
  if (first === undefined || last === undefined) {
    return { missing: [], truncated: false, outside: [], first: undefined, last: undefined };
  }
  // Zero-padded numbering ("000123") is kept in the numbers reported missing.
  const width = [...seen.values(), till.first ?? '', till.last ?? ''].find((s) => /^0\d/.test(s))?.length;
  const text = (n: number) => (width ? String(n).padStart(width, '0') : String(n));
  const missing: string[] = [];
  let truncated = false;
  for (let n = first; n <= last; n++) {
    if (seen.has(n)) continue;
    if (missing.length === MAX_MISSING_LISTED) {
      truncated = true;
      break;
    }
    missing.push(text(n));
  }
  const outside = numbers.filter((n) => n < first || n > last).map((n) => seen.get(n)!);
  return {
    missing,
    truncated,
    outside,
    first: numbers.length ? seen.get(numbers[0]!) : undefined,
    last: numbers.length ? seen.get(numbers.at(-1)!) : undefined,
  };
}
