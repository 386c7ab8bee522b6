import type { CanonicalEvent } from '@poshub/model';
import { checkEvent } from '@poshub/rules';
import { type Principal, requireStore } from './auth.ts';
import { type ProblemBody, problemBody } from './ingest-outcome.ts';
import { invalidDocument } from './problem-response.ts';

/** Event types a till posts to /v1/transactions. */
export const TRANSACTION_TYPES: ReadonlySet<string> = new Set([
  'sale.completed.v1',
  'return.completed.v1',
  'exchange.completed.v1',
  'transaction.voided.v1',
  'transaction.post_voided.v1',
  'control.recorded.v1',
]);

export type Admission =
  | { ok: true; event: CanonicalEvent }
  | { ok: false; status: 403 | 422; body: ProblemBody };

/**
 * Decides whether one candidate event may be stored for this principal: card numbers, shape and business
 * rules (422), the allowed event types (422), and the principal's stores (403). Stores nothing.
 */
export function admitEvent(
  candidate: unknown,
  principal: Principal,
  opts: { base?: string; types?: ReadonlySet<string> } = {},
): Admission {
  const base = opts.base ?? '';
  const checked = checkEvent(candidate, base);
  if (!checked.ok) return { ok: false, status: 422, body: invalidDocument(checked.problems) };
  return authorizeEvent(checked.event, principal, opts);
}

/**
 * The part of admission that needs no validation: the allowed event types (422) and the principal's stores
 * (403). For events that already passed `checkEvent` (the normalisation pipeline runs it).
 */
export function authorizeEvent(
  event: CanonicalEvent,
  principal: Principal,
  opts: { base?: string; types?: ReadonlySet<string> } = {},
): Admission {
  const base = opts.base ?? '';
  if (opts.types && !opts.types.has(event.type)) {
    return {
      ok: false,
      status: 422,
      body: invalidDocument([
        {
          code: 'type.not_accepted_here',
          pointer: `${base}/type`,
          message: `${event.type} is not a transaction: post it to /v1/ingest/canonical`,
        },
      ]),
    };
  }
  const denied = requireStore(principal, event.subject);
  if (denied)
    return { ok: false, status: 403, body: problemBody('forbidden-store', 'Forbidden', 403, denied.reason) };
  return { ok: true, event };
}
