import type { CanonicalEvent } from '@poshub/sdk';
import type { SalesforceConfig } from './salesforce-config.ts';

/** One REST call to make: method, path under the instance URL, JSON body. */
export interface SalesforceCall {
  method: 'PATCH' | 'POST';
  path: string;
  body: Record<string, unknown>;
}

interface Money {
  minor: number;
  exponent: number;
}
const amount = (m: Money) => Number((m.minor / 10 ** m.exponent).toFixed(m.exponent));

interface Customer {
  customerId: string;
  givenName?: string;
  familyName?: string;
  email?: string;
  phone?: string;
  addresses?: Array<{
    lines: string[];
    city?: string;
    region?: string;
    postalCode?: string;
    country?: string;
    default?: boolean;
  }>;
  loyaltyAccountId?: string;
  marketingConsent?: boolean;
}

interface Transaction {
  kind: string;
  key: { storeId: string; workstationId: string; businessDay: string; sequence: string };
  currency: string;
  occurredAt: { utc: string };
  receiptNumber?: string;
  lines: Array<{
    lineNumber: string;
    voided?: boolean;
    item: { sku?: string; description?: string };
    quantity: string;
    extendedAmount: Money;
  }>;
  total: Money;
  customer?: { customerId?: string };
}

/**
 * The Salesforce call for an event, or undefined when the CRM has nothing to record (a sale with no
 * customer). A customer is upserted as a Contact by its external id; a sale or return of a known customer
 * becomes a purchase upserted by external id with its lines, in one composite request (all or none), the
 * lines pointing at the purchase through `@{Purchase.id}`. Upserts by external id make every call
 * repeatable without a second record.
 */
export function mapSalesforceRequest(
  event: CanonicalEvent,
  config: SalesforceConfig,
): SalesforceCall | undefined {
  const base = `/services/data/${config.apiVersion}`;
  if (event.type === 'customer.upserted.v1') {
    const c = event.data as unknown as Customer;
    const address = c.addresses?.find((a) => a.default) ?? c.addresses?.[0];
    return {
      method: 'PATCH',
      path: `${base}/sobjects/Contact/${config.contact.externalIdField}/${encodeURIComponent(c.customerId)}`,
      body: {
        // LastName is required by Salesforce; a customer known by id only gets a placeholder.
        LastName: c.familyName ?? c.givenName ?? `POS customer ${c.customerId}`,
        ...(c.givenName && c.familyName ? { FirstName: c.givenName } : {}),
        ...(c.email ? { Email: c.email } : {}),
        ...(c.phone ? { Phone: c.phone } : {}),
        ...(c.marketingConsent === undefined ? {} : { HasOptedOutOfEmail: !c.marketingConsent }),
        ...(address
          ? {
              MailingStreet: address.lines.join('\n'),
              ...(address.city ? { MailingCity: address.city } : {}),
              ...(address.region ? { MailingState: address.region } : {}),
              ...(address.postalCode ? { MailingPostalCode: address.postalCode } : {}),
              ...(address.country ? { MailingCountryCode: address.country } : {}),
            }
          : {}),
      },
    };
  }
  const tx = event.data as unknown as Transaction;
  const customerId = tx.customer?.customerId;
  if (!customerId) return undefined;
  const p = config.purchase;
  const purchaseId = [tx.key.storeId, tx.key.workstationId, tx.key.businessDay, tx.key.sequence].join('-');
  const lines = tx.lines.filter((l) => !l.voided);
  return {
    method: 'POST',
    path: `${base}/composite`,
    body: {
      allOrNone: true,
      compositeRequest: [
        {
          method: 'PATCH',
          url: `${base}/sobjects/${p.object}/${p.externalIdField}/${encodeURIComponent(purchaseId)}`,
          referenceId: 'Purchase',
          body: {
            Name: tx.receiptNumber ?? purchaseId,
            [p.contactRelationship]: { [config.contact.externalIdField]: customerId },
            Kind__c: tx.kind,
            Store__c: tx.key.storeId,
            Business_Day__c: tx.key.businessDay,
            Purchased_At__c: tx.occurredAt.utc,
            Currency__c: tx.currency,
            Total__c: amount(tx.total),
          },
        },
        ...lines.map((l, i) => ({
          method: 'PATCH',
          url: `${base}/sobjects/${p.lineObject}/${p.lineExternalIdField}/${encodeURIComponent(`${purchaseId}-${l.lineNumber}`)}`,
          referenceId: `Line${i + 1}`,
          body: {
            [p.linePurchaseField]: '@{Purchase.id}',
            SKU__c: l.item.sku ?? null,
            Description__c: l.item.description ?? null,
            Quantity__c: Number(l.quantity),
            Amount__c: amount(l.extendedAmount),
          },
        })),
      ],
    },
  };
}
