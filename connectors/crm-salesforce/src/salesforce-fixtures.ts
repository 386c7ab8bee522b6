import { CanonicalEvent } from '@poshub/model';
import { canonicalFixtures } from '@poshub/sdk/testing';

/**
 * The kit's canonical sale and return, bought by a known customer (CUST-0042-7781), and that customer's
 * record (written from the canonical model's CustomerUpsert; no vendor sample covers a POS customer).
 */
export function salesforceFixtures(): CanonicalEvent[] {
  const [sale, refund] = canonicalFixtures();
  const withCustomer = (e: CanonicalEvent) => {
    const copy = structuredClone(e) as CanonicalEvent & { data: { customer?: Record<string, unknown> } };
    copy.data.customer = { ...copy.data.customer, customerId: 'CUST-0042-7781' };
    return CanonicalEvent.parse(copy) as CanonicalEvent;
  };
  const customer = CanonicalEvent.parse({
    specversion: '1.0',
    id: 'c0nf0000-0000-4000-8000-0000000000c1',
    source: '/pos/stores/0042',
    subject: '0042',
    type: 'customer.upserted.v1',
    time: '2026-03-14T17:55:00Z',
    data: {
      customerId: 'CUST-0042-7781',
      givenName: 'Ada',
      familyName: 'Lovelace',
      email: 'ada@example.org',
      phone: '+1 415 555 0100',
      addresses: [
        {
          lines: ['1 Market St', 'Suite 300'],
          city: 'San Francisco',
          region: 'CA',
          postalCode: '94105',
          country: 'US',
          default: true,
        },
      ],
      loyaltyAccountId: 'LOY-778812',
      marketingConsent: false,
      source: { system: 'example-pos', format: 'canonical' },
    },
  }) as CanonicalEvent;
  return [customer, withCustomer(sale!), withCustomer(refund!)];
}
