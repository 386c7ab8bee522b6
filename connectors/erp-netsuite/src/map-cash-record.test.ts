import { canonicalFixtures } from '@poshub/sdk/testing';
import { describe, expect, it } from 'vitest';
import { amountOf, externalIdOf, mapCashRecord } from './map-cash-record.ts';
import { NetSuiteConfig } from './netsuite-config.ts';

const config = NetSuiteConfig.parse({
  accountId: '1234567_SB1',
  oauth2: {
    issuer: 'https://1234567-sb1.suitetalk.api.netsuite.com',
    tokenEndpoint: 'https://1234567-sb1.suitetalk.api.netsuite.com/services/rest/auth/oauth2/v1/token',
    clientId: 'client',
    authMethod: 'client_secret_basic',
    clientSecret: 'not-used-here',
  },
  subsidiaryId: '1',
  walkInCustomerId: '42',
  locations: { '0042': '7', '0107': '9' },
});
const [sale, refund, elsewhere] = canonicalFixtures();

describe('mapCashRecord (canonical fixtures)', () => {
  it('maps the fixture sale to a cash sale: lines net of discounts, items by SKU, the store location', () => {
    const mapped = mapCashRecord(sale!, config);
    expect(mapped).toEqual({
      ok: true,
      record: {
        recordType: 'cashSale',
        externalId: 'poshub-0042-03-2026-03-14-1187',
        body: {
          externalId: 'poshub-0042-03-2026-03-14-1187',
          entity: { id: '42' },
          subsidiary: { id: '1' },
          location: { id: '7' },
          currency: { refName: 'USD' },
          tranDate: '2026-03-14',
          memo: 'poshub sale 0042/03/2026-03-14/1187 receipt 0042-03-1187',
          item: {
            items: [
              {
                item: { externalId: 'TSHIRT-M-BLU' },
                quantity: 2,
                amount: 22.5,
                description: 'T-shirt blue M',
                taxCode: { externalId: 'CA' },
              },
              {
                item: { externalId: 'APPLE-HC' },
                quantity: 0.42,
                amount: 1.26,
                description: 'Apple honeycrisp (kg)',
              },
            ],
          },
        },
      },
    });
  });

  it('maps the return to a cash refund created from the original cash sale, positive amounts', () => {
    const mapped = mapCashRecord(refund!, config);
    if (!mapped.ok) throw new Error(mapped.problem.message);
    expect(mapped.record.recordType).toBe('cashRefund');
    expect(mapped.record.body.createdFrom).toEqual({ externalId: 'poshub-0042-03-2026-03-14-1187' });
    const items = (mapped.record.body.item as { items: Array<{ quantity: number; amount: number }> }).items;
    expect(items.every((i) => i.quantity > 0 && i.amount > 0)).toBe(true);
  });

  it('refuses a store without a NetSuite location, naming it', () => {
    const narrow = { ...config, locations: { '0042': '7' } };
    expect(mapCashRecord(elsewhere!, narrow)).toEqual({
      ok: false,
      problem: { type: 'unmapped_store', message: 'store 0107 has no NetSuite location in the config' },
    });
  });

  it('keeps the currency decimals exactly', () => {
    expect(amountOf({ minor: 1999, exponent: 2 })).toBe(19.99);
    expect(amountOf({ minor: 1500, exponent: 0 })).toBe(1500);
    expect(amountOf({ minor: 12345, exponent: 3 })).toBe(12.345);
    expect(externalIdOf('p', { storeId: 's', workstationId: 'w', businessDay: 'd', sequence: '1' })).toBe(
      'p-s-w-d-1',
    );
  });
});
