import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CustomerUpsert } from '@poshub/model';
import { describe, expect, it } from 'vitest';
import { normalizeText } from '../normalize-document.ts';

const fixture = () =>
  readFile(join(import.meta.dirname, '..', '..', 'fixtures', 'shopify', 'rest-customer.json'), 'utf8');

describe('Shopify customer', () => {
  it('is a customer upsert with the personal data in the model fields', async () => {
    const result = await normalizeText(await fixture());
    expect(result.problems).toEqual([]);
    expect(result.events[0]?.type).toBe('customer.upserted.v1');
    const customer = result.events[0]?.data as CustomerUpsert;
    expect(customer).toMatchObject({
      customerId: '207119551',
      givenName: 'Bob',
      familyName: 'Norman',
      email: 'bob.norman@hostmail.com',
      phone: '555-625-1199',
      marketingConsent: false,
    });
    expect(customer.addresses).toEqual([
      {
        lines: ['Chestnut Street 92'],
        city: 'Louisville',
        region: 'KY',
        postalCode: '40202',
        country: 'US',
        default: true,
      },
    ]);
  });

  it('reads the newer email_marketing_consent', async () => {
    const doc = JSON.parse(await fixture());
    doc.customer.email_marketing_consent = { state: 'subscribed', opt_in_level: 'single_opt_in' };
    const customer = (await normalizeText(JSON.stringify(doc))).events[0]?.data as CustomerUpsert;
    expect(customer.marketingConsent).toBe(true);
  });

  it('leaves out a malformed e-mail address without quoting any personal data', async () => {
    const doc = JSON.parse(await fixture());
    doc.customer.email = 'bob.norman at hostmail';
    const result = await normalizeText(JSON.stringify(doc));
    expect(result.problems).toEqual([]);
    expect((result.events[0]!.data as CustomerUpsert).email).toBeUndefined();
    expect(result.warnings).toMatchObject([{ code: 'customer.email_invalid', pointer: '/customer/email' }]);
    const said = JSON.stringify(result.warnings);
    for (const pii of ['bob.norman', 'Norman', 'Chestnut', '555-625']) expect(said).not.toContain(pii);
  });

  it('refuses a customer without id', async () => {
    const doc = JSON.parse(await fixture());
    delete doc.customer.id;
    const result = await normalizeText(JSON.stringify(doc));
    expect(result.problems).toMatchObject([{ code: 'field.missing', pointer: '/customer/id' }]);
    expect(JSON.stringify(result.problems)).not.toContain('Norman');
  });
});
