import {
  type BusinessDayClose,
  type BusinessDayReconciliation,
  type Money,
  moneyText,
  type ReconciliationDifference,
} from '@poshub/model';
import { missingSequences } from './missing-sequences.ts';
import type { SalesTally } from './sales-tally.ts';

/** What the hub received for the close's store, day and workstation (every workstation for a store close). */
export interface DayReceipts {
  tally: SalesTally;
  /** Non-training control transactions (sign-on, no-sale...). */
  control: number;
  /** Training transactions of any kind. */
  training: number;
  /** Every sequence number received, per workstation (retail, control and training alike: all use one). */
  sequences: Map<string, string[]>;
}

/** A reconciliation result without its version, time and close event id: what the fingerprint covers. */
export type CloseComparison = Pick<
  BusinessDayReconciliation,
  'status' | 'till' | 'received' | 'missing' | 'differences'
>;

const sameMoney = (a: Money | undefined, b: Money) =>
  a !== undefined && a.minor === b.minor && a.currency === b.currency;

/**
 * Compares a till's close with what the hub received: the count of retail transactions, the grand total,
 * the returns total, each tender type's total, and the sequence numbers (a gap is a transaction the till
 * made and the hub never got). A workstation close is held to its own first and last sequence; a store
 * close to each workstation's lowest and highest received. Pure: the same inputs give the same result.
 */
export function compareClose(close: BusinessDayClose, receipts: DayReceipts): CloseComparison {
  const till = close.tillTotals;
  const { currency, exponent } = till.grandTotal;
  const view = receipts.tally.view();
  const retail = receipts.tally.count;
  const grandTotal = receipts.tally.takingsIn(currency, exponent);
  const returnsTotal = receipts.tally.returnsIn(till.returnsTotal?.currency ?? currency, exponent);
  const tenders = new Map<string, Money>();
  for (const t of view.byTender) if (t.amount.currency === currency) tenders.set(t.type, t.amount);

  const differences: ReconciliationDifference[] = [];
  if (till.transactionCount !== retail) {
    differences.push({
      code: 'transaction_count',
      message: `the till counted ${till.transactionCount} transaction(s), the hub received ${retail}`,
      till: till.transactionCount,
      received: retail,
    });
  }
  if (!sameMoney(grandTotal, till.grandTotal)) {
    differences.push({
      code: 'grand_total',
      message: `the till's grand total is ${moneyText(till.grandTotal)}, the hub's ${moneyText(grandTotal)}`,
      till: till.grandTotal,
      received: grandTotal,
    });
  }
  if (till.returnsTotal && !sameMoney(returnsTotal, till.returnsTotal)) {
    differences.push({
      code: 'returns_total',
      message: `the till's returns total is ${moneyText(till.returnsTotal)}, the hub's ${moneyText(returnsTotal)}`,
      till: till.returnsTotal,
      received: returnsTotal,
    });
  }
  // Every tender type either side names; a type the till left out of a stated list is zero at the till.
  if (till.byTender.length > 0) {
    const types = [...new Set([...till.byTender.map((t) => t.type), ...tenders.keys()])].sort();
    for (const type of types) {
      const stated = till.byTender.find((t) => t.type === type)?.amount ?? {
        minor: 0,
        currency,
        exponent,
      };
      const got = tenders.get(type) ?? { minor: 0, currency: stated.currency, exponent: stated.exponent };
      if (!sameMoney(got, stated)) {
        differences.push({
          code: 'tender_total',
          message: `${type}: the till took ${moneyText(stated)}, the hub received ${moneyText(got)}`,
          till: stated,
          received: got,
        });
      }
    }
  }
  const others = view.takings.filter((m) => m.currency !== currency && m.minor !== 0);
  for (const other of others) {
    differences.push({
      code: 'other_currency',
      message: `the hub received takings of ${moneyText(other)} in a currency the close does not state`,
      received: other,
    });
  }

  const workstations = close.workstationId
    ? [close.workstationId]
    : [...receipts.sequences.keys()].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const missing: CloseComparison['missing'] = [];
  let first: string | undefined;
  let last: string | undefined;
  for (const ws of workstations) {
    const check = missingSequences(
      receipts.sequences.get(ws) ?? [],
      close.workstationId ? { first: till.firstSequence, last: till.lastSequence } : {},
    );
    if (close.workstationId) {
      first = check.first;
      last = check.last;
    }
    if (check.missing.length > 0) {
      missing.push({ workstationId: ws, sequences: check.missing, truncated: check.truncated });
      differences.push({
        code: 'missing_sequences',
        message: `workstation ${ws}: ${check.truncated ? `more than ${check.missing.length}` : check.missing.length} sequence number(s) never received (${check.missing.slice(0, 10).join(', ')}${check.missing.length > 10 ? ', ...' : ''})`,
        received: check.missing.length,
      });
    }
    if (check.outside.length > 0) {
      differences.push({
        code: 'sequence_outside_range',
        message: `workstation ${ws}: ${check.outside.length} sequence number(s) received outside the till's ${till.firstSequence ?? '?'}..${till.lastSequence ?? '?'}`,
        received: check.outside.length,
      });
    }
  }

  return {
    status: differences.length === 0 ? 'matched' : 'mismatched',
    till: {
      transactionCount: till.transactionCount,
      ...(till.firstSequence !== undefined ? { firstSequence: till.firstSequence } : {}),
      ...(till.lastSequence !== undefined ? { lastSequence: till.lastSequence } : {}),
      grandTotal: till.grandTotal,
      ...(till.returnsTotal ? { returnsTotal: till.returnsTotal } : {}),
      byTender: till.byTender.map((t) => ({ type: t.type, amount: t.amount })),
    },
    received: {
      transactionCount: retail,
      byKind: Object.fromEntries(Object.entries(view.transactions).filter(([, n]) => n > 0)),
      control: receipts.control,
      training: receipts.training,
      ...(first !== undefined ? { firstSequence: first } : {}),
      ...(last !== undefined ? { lastSequence: last } : {}),
      grandTotal,
      returnsTotal,
      byTender: [...tenders.entries()]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([type, amount]) => ({ type, amount })),
    },
    missing,
    differences,
  };
}
