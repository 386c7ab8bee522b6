import type { CanonicalEvent } from '@poshub/sdk';
import type { S4HanaConfig } from './s4hana-config.ts';

/** The OData entity to create, its service, and the reference poshub finds it again by. */
export interface S4Document {
  service: 'API_SALES_ORDER_SRV' | 'API_CUSTOMER_RETURN_SRV';
  entitySet: 'A_SalesOrder' | 'A_CustomerReturn';
  /** Stored in PurchaseOrderByCustomer (the customer reference, 35 characters): the lookup key. */
  reference: string;
  /** The original sale's reference, for a return. */
  originalReference?: string;
  body: Record<string, unknown>;
}

interface Money {
  minor: number;
  exponent: number;
  currency: string;
}
interface Tx {
  key: { storeId: string; workstationId: string; businessDay: string; sequence: string };
  currency: string;
  lines: Array<{
    voided?: boolean;
    item: { sku?: string };
    quantity: string;
    unitOfMeasure?: string;
    extendedAmount: Money;
    discounts?: Array<{ amount: Money }>;
  }>;
  links?: Array<{ kind: string; key?: Partial<Tx['key']> }>;
}

/** The customer reference of a transaction: `POS-{store}-{ws}-{yyyymmdd}-{seq}`, at most 35 characters. */
export function referenceOf(key: Partial<Tx['key']>): string {
  return `POS-${key.storeId}-${key.workstationId}-${(key.businessDay ?? '').replace(/-/g, '')}-${key.sequence}`.slice(
    0,
    35,
  );
}

const amount = (minor: number, exponent: number) => (Math.abs(minor) / 10 ** exponent).toFixed(exponent);

/**
 * Pure: a sale as a sales order (deep insert with its items), a return as a customer return (its items get
 * the original order's number when the connector finds it). Each item's price is the POS's net amount as a
 * manual pricing element (`priceConditionType`, PMP0 by default), so S/4HANA does not price it again.
 */
export function mapS4Document(
  event: CanonicalEvent,
  config: S4HanaConfig,
): { ok: true; document: S4Document } | { ok: false; type: string; message: string } {
  const tx = event.data as unknown as Tx;
  const plant = config.plants[tx.key.storeId];
  if (!plant)
    return {
      ok: false,
      type: 'unmapped_store',
      message: `store ${tx.key.storeId} has no plant in the config`,
    };
  const lines = tx.lines.filter((l) => !l.voided);
  const noSku = lines.findIndex((l) => !l.item.sku);
  if (noSku >= 0)
    return { ok: false, type: 'item_without_sku', message: `line ${noSku + 1} has no SKU (material)` };
  const reference = referenceOf(tx.key);
  const area = {
    SalesOrganization: config.salesOrganization,
    DistributionChannel: config.distributionChannel,
    OrganizationDivision: config.organizationDivision,
    SoldToParty: config.soldToParty,
    PurchaseOrderByCustomer: reference,
    TransactionCurrency: tx.currency,
  };
  const items = lines.map((l, i) => {
    const discount = (l.discounts ?? []).reduce((s, d) => s + d.amount.minor, 0);
    return {
      ItemNumber: String((i + 1) * 10),
      Material: l.item.sku,
      RequestedQuantity: String(Math.abs(Number(l.quantity))),
      ...(l.unitOfMeasure ? { RequestedQuantityISOUnit: l.unitOfMeasure } : {}),
      ProductionPlant: plant,
      net: amount(l.extendedAmount.minor + discount, l.extendedAmount.exponent),
    };
  });
  if (event.type === 'sale.completed.v1') {
    return {
      ok: true,
      document: {
        service: 'API_SALES_ORDER_SRV',
        entitySet: 'A_SalesOrder',
        reference,
        body: {
          SalesOrderType: config.salesOrderType,
          ...area,
          to_Item: items.map(({ net, ...item }) => ({
            SalesOrderItem: item.ItemNumber,
            Material: item.Material,
            RequestedQuantity: item.RequestedQuantity,
            ...(item.RequestedQuantityISOUnit
              ? { RequestedQuantityISOUnit: item.RequestedQuantityISOUnit }
              : {}),
            ProductionPlant: item.ProductionPlant,
            to_PricingElement: [
              {
                ConditionType: config.priceConditionType,
                ConditionRateValue: net,
                ConditionCurrency: tx.currency,
              },
            ],
          })),
        },
      },
    };
  }
  const original = tx.links?.find((l) => l.kind === 'return' && l.key)?.key;
  const originalReference = original?.storeId && original.sequence ? referenceOf(original) : undefined;
  return {
    ok: true,
    document: {
      service: 'API_CUSTOMER_RETURN_SRV',
      entitySet: 'A_CustomerReturn',
      reference,
      ...(originalReference ? { originalReference } : {}),
      body: {
        CustomerReturnType: config.customerReturnType,
        ...area,
        SDDocumentReason: config.returnReason,
        to_Item: items.map(({ net, ...item }) => ({
          CustomerReturnItem: item.ItemNumber,
          Material: item.Material,
          RequestedQuantity: item.RequestedQuantity,
          ...(item.RequestedQuantityISOUnit
            ? { RequestedQuantityISOUnit: item.RequestedQuantityISOUnit }
            : {}),
          Plant: item.ProductionPlant,
          ReturnReason: config.returnReason,
          to_PricingElement: [
            {
              ConditionType: config.priceConditionType,
              ConditionRateValue: net,
              ConditionCurrency: tx.currency,
            },
          ],
        })),
      },
    },
  };
}
