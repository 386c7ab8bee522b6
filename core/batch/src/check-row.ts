import { type Problem, problemsFromZod } from '@poshub/model';
import type { CardScan } from './card-scan.ts';
import type { ImportKind } from './import-kinds.ts';

/** A row that became a canonical row for `subject`, or every problem that stops it. */
export type RowCheck =
  | { ok: true; row: unknown; subject: string }
  | { ok: false; problems: Problem[]; cardNumber: boolean };

/** What a row is checked against besides its kind: who sends it, and the card-number scan. */
export interface RowRules {
  kind: ImportKind;
  cards: CardScan;
  /** Stores the client may write for; undefined = every store. */
  stores: ReadonlySet<string> | undefined;
  /** Filled into rows that name no source (customers). */
  source: { system: string; format: string };
}

// JSON numbers beyond 2^53 lose digits in JSON.parse: a row with a run this long is scanned from its text.
const LONG_DIGITS = /\d{16}/;

/**
 * Checks one input row: no full card number anywhere (422-grade, and its raw text is never kept), then the
 * canonical row schema, then whether the client may write for the row's store. Pointers are into the NDJSON
 * object, or `/<column>` for CSV.
 */
export function checkRow(
  rules: RowRules,
  input:
    | { format: 'ndjson'; value: unknown; text: string }
    | { format: 'csv'; record: Record<string, string> },
): RowCheck {
  const { kind } = rules;
  // The row's text is scanned first: a row whose text holds no card number (and no \u escape that could
  // spell one) has none in any value, and most rows stop there. Otherwise every value is scanned, for the
  // pointer of each card number found.
  const text = input.format === 'ndjson' ? input.text : Object.values(input.record).join('\n');
  if (rules.cards.inText(text) || (input.format === 'ndjson' && text.includes('\\u'))) {
    const exempt = (at: PropertyKey[], node: unknown) => kind.notACard?.(at, node) ?? false;
    const scanned =
      input.format === 'ndjson'
        ? LONG_DIGITS.test(input.text)
          ? rules.cards.parseForScan(input.text)
          : input.value
        : input.record;
    const cards = rules.cards.inValue(scanned, exempt);
    if (cards.length > 0) return { ok: false, problems: cards, cardNumber: true };
  }

  let candidate: unknown;
  if (input.format === 'csv') {
    const mapped = kind.fromCsv(input.record);
    if (!mapped.ok) return { ok: false, problems: mapped.problems, cardNumber: false };
    candidate = mapped.candidate;
  } else {
    candidate = input.value;
  }
  if (kind.complete) candidate = kind.complete(candidate, rules.source);
  const parsed = kind.row.safeParse(candidate);
  if (!parsed.success) {
    const problems = problemsFromZod(parsed.error);
    if (input.format === 'csv') {
      for (const [i, issue] of parsed.error.issues.entries()) {
        problems[i]!.pointer = `/${kind.csvColumnOf(issue.path)}`;
      }
    }
    return { ok: false, problems, cardNumber: false };
  }
  const subject = kind.subjectOf(parsed.data);
  if (rules.stores && !rules.stores.has(subject)) {
    const message =
      subject === '*'
        ? 'this client may write only for its own stores, not chain-wide rows'
        : `this client may not write for store ${subject}`;
    return {
      ok: false,
      problems: [
        {
          code: 'store.forbidden',
          pointer: subject === '*' || !kind.storeField ? '' : `/${kind.storeField}`,
          message,
          severity: 'error',
        },
      ],
      cardNumber: false,
    };
  }
  return { ok: true, row: parsed.data, subject };
}
