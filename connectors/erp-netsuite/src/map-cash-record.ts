import type { CanonicalEvent } from '@poshub/sdk';
import type { NetSuiteConfig } from './netsuite-config.ts';

/** A NetSuite record to upsert by external id: `PUT /record/v1/{recordType}/eid:{externalId}`. */
export interface CashRecord {
  recordType: 'cashSale' | 'cashRefund';
  externalId: string;
  body: Record<string, unknown>;
}

/** Why an event cannot be posted: permanent until the config or the data changes. */
export interface MappingProblem {
  type: string;
  message: string;
}

interface Money {
  minor: number;
  exponent: number;
}
interface Line {
  lineNumber: string;
  direction: 'sale' | 'return';
  voided?: boolean;
  item: { sku?: string; description?: string };
  quantity: string;
  extendedAmount: Money;
  discounts?: Array<{ amount: Money }>;
  taxes?: Array<{ code?: string; amount: Money; included: boolean }>;
  originalLine?: { key?: TxKey };
}
interface TxKey {
  storeId?: string;
  workstationId?: string;
  businessDay?: string;
  sequence?: string;
}
interface Transaction {
  kind: string;
  key: Required<TxKey>;
  currency: string;
  receiptNumber?: string;
  lines: Line[];
  links?: Array<{ kind: string; key?: TxKey }>;
  customer?: { customerId?: string };
}

/** A canonical amount as NetSuite takes it: a JSON number with the currency's decimals. */
export function amountOf(money: Money): number {
  return Number((money.minor / 10 ** money.exponent).toFixed(money.exponent));
}

/** The external id poshub gives the record of a transaction: stable across retries, replays and hubs. */
export function externalIdOf(prefix: string, key: TxKey): string {
  return [prefix, key.storeId, key.workstationId, key.businessDay, key.sequence].join('-');
}

/**
 * Maps a sale to a NetSuite cash sale and a return to a cash refund (created from the original cash sale
 * when the return names it), pure and deterministic. Lines are net of their discounts; tax stays with
 * NetSuite's tax engine (the line's tax code is passed as the item's tax code when the POS gave one).
 */
export function mapCashRecord(
  event: CanonicalEvent,
  config: NetSuiteConfig,
): { ok: true; record: CashRecord } | { ok: false; problem: MappingProblem } {
  const tx = event.data as unknown as Transaction;
  const recordType = event.type === 'sale.completed.v1' ? 'cashSale' : 'cashRefund';
  const location = config.locations[tx.key.storeId];
  if (!location) {
    return {
      ok: false,
      problem: {
        type: 'unmapped_store',
        message: `store ${tx.key.storeId} has no NetSuite location in the config`,
      },
    };
  }
  const lines = tx.lines.filter((l) => !l.voided);
  const missingSku = lines.find((l) => !l.item.sku);
  if (missingSku) {
    return {
      ok: false,
      problem: {
        type: 'item_without_sku',
        message: `line ${missingSku.lineNumber} has no SKU to reference the item by`,
      },
    };
  }
  const items = lines.map((l) => {
    const discount = (l.discounts ?? []).reduce((sum, d) => sum + d.amount.minor, 0);
    const net = Math.abs(l.extendedAmount.minor + discount);
    const taxCode = l.taxes?.find((t) => t.code)?.code;
    return {
      item: { externalId: l.item.sku },
      quantity: Math.abs(Number(l.quantity)),
      amount: amountOf({ minor: net, exponent: l.extendedAmount.exponent }),
      ...(l.item.description ? { description: l.item.description } : {}),
      ...(taxCode ? { taxCode: { externalId: taxCode } } : {}),
    };
  });
  const externalId = externalIdOf(config.externalIdPrefix, tx.key);
  const body: Record<string, unknown> = {
    externalId,
    entity: tx.customer?.customerId
      ? { externalId: tx.customer.customerId }
      : { id: config.walkInCustomerId },
    subsidiary: { id: config.subsidiaryId },
    location: { id: location },
    currency: { refName: tx.currency },
    tranDate: tx.key.businessDay,
    memo: `poshub ${tx.kind} ${tx.key.storeId}/${tx.key.workstationId}/${tx.key.businessDay}/${tx.key.sequence}${tx.receiptNumber ? ` receipt ${tx.receiptNumber}` : ''}`,
    item: { items },
  };
  if (recordType === 'cashRefund') {
    const original =
      tx.links?.find((l) => l.kind === 'return' && l.key)?.key ??
      tx.lines.find((l) => l.originalLine?.key)?.originalLine?.key;
    if (original?.storeId && original.workstationId && original.businessDay && original.sequence) {
      body.createdFrom = { externalId: externalIdOf(config.externalIdPrefix, original) };
    }
  }
  return { ok: true, record: { recordType, externalId, body } };
}
