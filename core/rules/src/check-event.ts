import type { CanonicalEvent, Problem, RetailTransaction } from '@poshub/model';
import { CanonicalEvent as CanonicalEventSchema, problemsFromZod } from '@poshub/model';
import { findCardNumbers } from './card-numbers.ts';
import { checkTransaction } from './check-transaction.ts';

const TRANSACTION_TYPES = new Set([
  'sale.completed.v1',
  'return.completed.v1',
  'exchange.completed.v1',
  'transaction.voided.v1',
  'transaction.post_voided.v1',
]);

/** Result of checking one canonical event: the parsed event when it passes, every problem when not. */
export type EventCheck =
  | { ok: true; event: CanonicalEvent; warnings: Problem[] }
  | { ok: false; problems: Problem[] };

// A canonical external id ({ scheme, value }) holding only digits is a vendor record id (a Shopify order id
// is 13 digits and can pass Luhn), unless its scheme says it is about a card.
function isRecordId(at: PropertyKey[], node: unknown, root: unknown): boolean {
  if (typeof node !== 'string' || at.at(-1) !== 'value' || at.at(-3) !== 'ids' || !/^\d+$/.test(node))
    return false;
  let parent: unknown = root;
  for (const part of at.slice(0, -1)) parent = (parent as Record<PropertyKey, unknown> | undefined)?.[part];
  const scheme = (parent as { scheme?: unknown } | undefined)?.scheme;
  return typeof scheme === 'string' && !/card|pan|account/i.test(scheme);
}

/**
 * Checks a candidate canonical event: no full card number anywhere, then shape (zod), then business rules.
 * `base` prefixes every pointer (e.g. "/3" for the fourth item of a batch).
 */
export function checkEvent(candidate: unknown, base = ''): EventCheck {
  const cards = findCardNumbers(candidate, [], (at, node) => isRecordId(at, node, candidate)).map((p) => ({
    ...p,
    pointer: base + p.pointer,
  }));
  if (cards.length > 0) return { ok: false, problems: cards };
  const parsed = CanonicalEventSchema.safeParse(candidate);
  if (!parsed.success) return { ok: false, problems: problemsFromZod(parsed.error, base) };
  const event = parsed.data as CanonicalEvent;
  const problems = TRANSACTION_TYPES.has(event.type)
    ? checkTransaction(event.data as RetailTransaction, `${base}/data`)
    : [];
  const key = (event.data as { key?: { storeId?: string } }).key;
  if (key?.storeId !== undefined && key.storeId !== event.subject) {
    problems.unshift({
      code: 'subject.mismatch',
      pointer: `${base}/subject`,
      message: `subject "${event.subject}" must be the transaction's store "${key.storeId}"`,
      severity: 'error',
    });
  }
  const errors = problems.filter((p) => p.severity !== 'warning');
  if (errors.length > 0) return { ok: false, problems };
  return { ok: true, event, warnings: problems };
}

/** Training-mode events are stored but never dispatched to any connector. */
export function isDispatchable(event: CanonicalEvent): boolean {
  const data = event.data as { trainingMode?: boolean };
  return data.trainingMode !== true;
}
