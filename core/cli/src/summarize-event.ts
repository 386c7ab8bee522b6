import type { CanonicalEvent, Money } from '@poshub/model';
import { moneyText } from '@poshub/model';

function money(m: Money | undefined): string {
  return m ? moneyText(m) : '';
}

/** One human line about an event: type, where it belongs, and what it amounts to. */
export function summarizeEvent(event: CanonicalEvent): string {
  const d = event.data as Record<string, unknown>;
  switch (event.type) {
    case 'sale.completed.v1':
    case 'return.completed.v1':
    case 'exchange.completed.v1':
    case 'transaction.voided.v1':
    case 'transaction.post_voided.v1': {
      const t = event.data;
      const lines = t.lines.filter((l) => !l.voided).length;
      const training = t.trainingMode ? ' [training: never dispatched]' : '';
      return `store ${t.key.storeId} ws ${t.key.workstationId} day ${t.key.businessDay} seq ${t.key.sequence}: ${lines} line(s), ${t.tenders.length} tender(s), total ${money(t.total)}${training}`;
    }
    case 'control.recorded.v1':
      return `store ${event.data.key.storeId} ws ${event.data.key.workstationId} seq ${event.data.key.sequence}: ${event.data.action}`;
    case 'payment.recorded.v1':
      return `${event.data.kind} ${event.data.paymentId}: ${event.data.tender.type} ${money(event.data.tender.amount)} (${event.data.tender.status})`;
    case 'inventory.counted.v1':
    case 'inventory.adjusted.v1':
      return `location ${event.data.locationId}: ${event.data.lines.length} item(s)`;
    case 'inventory.transferred.v1':
      return `${event.data.fromLocationId} -> ${event.data.toLocationId}: ${event.data.lines.length} item(s)`;
    case 'customer.upserted.v1':
      return `customer ${event.data.customerId}`;
    case 'loyalty.accrued.v1':
    case 'loyalty.redeemed.v1':
    case 'loyalty.adjusted.v1':
      return `account ${event.data.accountId}: ${event.data.points > 0 ? '+' : ''}${event.data.points} points`;
    case 'order.created.v1':
    case 'order.updated.v1':
      return `order ${event.data.orderId}: ${event.data.status}${event.data.complete ? '' : ' (thin notification: fetch the order)'}`;
    case 'business_day.closed.v1':
      return `store ${event.data.storeId} day ${event.data.businessDay}: ${event.data.tillTotals.transactionCount} transaction(s), ${money(event.data.tillTotals.grandTotal)}`;
    default:
      return String(d.kind ?? '');
  }
}
