import type {
  CardDetails,
  ExternalId,
  Outcome,
  PaymentRecord,
  Problem,
  RetailTransaction,
  Tender,
} from '@poshub/model';

/**
 * Attaches a terminal payment's card details and PSP reference to the matching tender of a retail
 * transaction: same tender type and signed amount, and a shared reference (the payment's sale transaction id
 * against the transaction's receipt number, sequence or source ids, or a payment id the tender already
 * carries). Returns a new transaction; the inputs are not changed. No match is an error, as data.
 */
export function enrichTender(
  transaction: RetailTransaction,
  payment: PaymentRecord,
): Outcome<RetailTransaction> {
  const paid = payment.tender;
  if (paid.status === 'declined') {
    return fail(
      'enrich.payment_declined',
      '/tenders',
      `payment ${payment.paymentId} was declined: it is no tender of the sale`,
    );
  }
  if (paid.amount.currency !== transaction.currency) {
    return fail(
      'enrich.currency_mismatch',
      '/currency',
      `payment ${payment.paymentId} is in ${paid.amount.currency}, the transaction in ${transaction.currency}`,
    );
  }
  const transactionRefs = new Set(
    [
      transaction.receiptNumber,
      transaction.key.sequence,
      ...transaction.source.ids.map((id) => id.value),
    ].filter((v): v is string => v !== undefined),
  );
  const saleMatch = payment.transactionIds.some((id) => transactionRefs.has(id.value));
  const paymentRefs = new Set(
    [payment.paymentId, paid.reference, paid.card?.pspReference, ...paid.ids.map((id) => id.value)].filter(
      (v): v is string => v !== undefined,
    ),
  );
  const tenderRefs = (t: Tender) =>
    [t.reference, t.card?.pspReference, ...t.ids.map((id) => id.value)].filter(
      (v): v is string => v !== undefined,
    );

  const candidates = transaction.tenders
    .map((tender, index) => ({ tender, index }))
    .filter(({ tender }) => tender.type === paid.type && tender.amount.minor === paid.amount.minor);
  const known = candidates.find(({ tender }) => tenderRefs(tender).some((ref) => paymentRefs.has(ref)));
  let chosen = known;
  if (!chosen) {
    if (!saleMatch) {
      const wanted = payment.transactionIds.map((id) => id.value).join(', ') || '(none)';
      return fail(
        'enrich.reference_mismatch',
        '/receiptNumber',
        `payment ${payment.paymentId} is for sale ${wanted}, which is not this transaction (${[...transactionRefs].join(', ')})`,
      );
    }
    // Split tenders of equal amount take their payments in order: the first tender not yet enriched.
    chosen = candidates.find(({ tender }) => !tender.card?.pspReference);
  }
  if (!chosen) {
    const amounts = transaction.tenders.map((t) => `${t.type} ${t.amount.minor}`).join(', ') || 'no tenders';
    return fail(
      'enrich.no_matching_tender',
      '/tenders',
      candidates.length > 0
        ? `every ${paid.type} tender of ${paid.amount.minor} minor units already carries another payment`
        : `no ${paid.type} tender of ${paid.amount.minor} minor units in this transaction (${amounts})`,
    );
  }

  const { tender, index } = chosen;
  const warnings: Problem[] = [];
  const card = mergeCard(tender.card, paid.card);
  if (!card.ok) return fail('enrich.card_mismatch', `/tenders/${index}/card`, card.message);
  if (card.note)
    warnings.push({
      code: 'enrich.card_brand_differs',
      pointer: `/tenders/${index}/card/brand`,
      message: card.note,
      severity: 'warning',
    });
  const ids: ExternalId[] = [...tender.ids];
  for (const id of [{ scheme: `${payment.source.system}.payment`, value: payment.paymentId }, ...paid.ids]) {
    if (!ids.some((x) => x.scheme === id.scheme && x.value === id.value)) ids.push(id);
  }
  const enriched: Tender = { ...structuredClone(tender), ids, status: paid.status };
  if (card.value) enriched.card = card.value;
  const tenders = transaction.tenders.map((t, i) => (i === index ? enriched : structuredClone(t)));
  return { ok: true, value: { ...structuredClone(transaction), tenders }, warnings };
}

// The tender keeps what the till knew; the payment fills in the rest. Different last four digits mean the
// payment belongs to another card, so the match is refused.
function mergeCard(
  existing: CardDetails | undefined,
  incoming: CardDetails | undefined,
): { ok: true; value: CardDetails | undefined; note?: string } | { ok: false; message: string } {
  if (!incoming) return { ok: true, value: existing };
  if (existing?.last4 && incoming.last4 && existing.last4 !== incoming.last4) {
    return {
      ok: false,
      message: `the tender's card ends in ${existing.last4}, the payment's in ${incoming.last4}`,
    };
  }
  const merged: CardDetails = { ...incoming, ...stripUndefined(existing ?? {}) };
  if (incoming.pspReference) merged.pspReference = incoming.pspReference;
  const differs =
    existing?.brand && incoming.brand && existing.brand.toLowerCase() !== incoming.brand.toLowerCase()
      ? `the tender says ${existing.brand}, the payment ${incoming.brand}; the tender's brand is kept`
      : undefined;
  return differs ? { ok: true, value: merged, note: differs } : { ok: true, value: merged };
}

function stripUndefined(card: CardDetails): CardDetails {
  return Object.fromEntries(Object.entries(card).filter(([, v]) => v !== undefined)) as CardDetails;
}

function fail(code: string, pointer: string, message: string): Outcome<RetailTransaction> {
  return { ok: false, problems: [{ code, pointer, message, severity: 'error' }] };
}
