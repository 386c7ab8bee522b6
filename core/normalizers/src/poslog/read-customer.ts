import type { CustomerRef, ExternalId } from '@poshub/model';
import { child, descendant, textOf, type XmlElement } from './xml-element.ts';

// Where producers put the loyalty account, and the child that holds its id, most specific first.
const LOYALTY_CONTAINERS = ['LoyaltyAccount', 'LoyaltyMembership', 'LoyaltyCard', 'LoyaltyProgram'];
const LOYALTY_ID_FIELDS = [
  'LoyaltyAccountID',
  'LoyaltyID',
  'MembershipID',
  'AccountID',
  'AccountNumber',
  'CardNumber',
  'PrimaryAccountNumber',
];

function findAll(el: XmlElement, names: readonly string[], out: XmlElement[] = []): XmlElement[] {
  for (const c of el.children) {
    if (names.includes(c.name)) out.push(c);
    else findAll(c, names, out);
  }
  return out;
}

/**
 * Customer and loyalty references anywhere in the transaction: Customer/CustomerID, and the loyalty
 * account of a LoyaltyAccount / LoyaltyMembership (NCR writes acs:LoyaltyMembership as a line item).
 */
export function readCustomer(txn: XmlElement): CustomerRef | undefined {
  const ids: ExternalId[] = [];
  let customerId: string | undefined;
  let loyaltyAccountId: string | undefined;
  for (const customer of findAll(txn, ['Customer'])) {
    const id = textOf(child(customer, 'CustomerID'));
    if (id) {
      customerId ??= id;
      ids.push({ scheme: 'poslog.CustomerID', value: id });
    }
  }
  for (const container of findAll(txn, LOYALTY_CONTAINERS)) {
    for (const field of LOYALTY_ID_FIELDS) {
      // The id may sit one level down (LoyaltyAccount/LoyaltyProgram/LoyaltyAccountID).
      const id = textOf(child(container, field) ?? descendant(container, field));
      if (!id) continue;
      loyaltyAccountId ??= id;
      if (!ids.some((x) => x.value === id))
        ids.push({ scheme: `poslog.${container.name}.${field}`, value: id });
    }
  }
  if (!customerId && !loyaltyAccountId) return undefined;
  const ref: CustomerRef = { ids };
  if (customerId) ref.customerId = customerId;
  if (loyaltyAccountId) ref.loyaltyAccountId = loyaltyAccountId;
  return ref;
}
