import { describe, expect, it } from 'vitest';
import { loyaltyCallsOf } from './loyalty-calls.ts';
import { loyaltyFixtures } from './loyalty-fixtures.ts';
import { SquareLoyaltyConfig } from './square-loyalty-config.ts';

const config = SquareLoyaltyConfig.parse({
  accessToken: 'EAAAl-test-token',
  locations: { '0042': 'P034NEENMD09F' },
  spendPerPoint: '1.00',
  pointValue: '0.01',
});
const [sale, refund, accrual] = loyaltyFixtures();

describe('loyaltyCallsOf (canonical fixtures)', () => {
  it("accrues a member's sale: a point per dollar, at the store's Square location", () => {
    expect(loyaltyCallsOf(sale!, config)).toEqual({
      ok: true,
      calls: [
        {
          path: '/v2/loyalty/accounts/LOY-778812/accumulate',
          suffix: 'accrue',
          body: { accumulate_points: { points: 25 }, location_id: 'P034NEENMD09F' },
        },
      ],
    });
  });

  it('takes back what a return earned', () => {
    expect(loyaltyCallsOf(refund!, config)).toMatchObject({
      ok: true,
      calls: [{ suffix: 'reverse', body: { adjust_points: { points: -1 }, allow_negative_balance: true } }],
    });
  });

  it('takes off the points a purchase was paid with, and accrues only on the rest', () => {
    const paid = structuredClone(sale!) as typeof sale & { data: { tenders: unknown[] } };
    paid.data.tenders = [
      { type: 'loyalty_points', amount: { minor: 500, currency: 'USD', exponent: 2 } },
      { type: 'card', amount: { minor: 2076, currency: 'USD', exponent: 2 } },
    ];
    const mapped = loyaltyCallsOf(paid!, config);
    expect(mapped).toMatchObject({
      ok: true,
      calls: [
        { suffix: 'redeem', body: { adjust_points: { points: -500 } } },
        { suffix: 'accrue', body: { accumulate_points: { points: 20 } } },
      ],
    });
  });

  it('passes a POS-computed accrual on, and ignores a sale without a member', () => {
    expect(loyaltyCallsOf(accrual!, config)).toMatchObject({
      ok: true,
      calls: [
        { path: '/v2/loyalty/accounts/LOY-778812/accumulate', body: { accumulate_points: { points: 50 } } },
      ],
    });
    const anonymous = structuredClone(sale!) as typeof sale & { data: { customer?: unknown } };
    delete anonymous.data.customer;
    expect(loyaltyCallsOf(anonymous!, config)).toEqual({ ok: true, calls: [] });
  });

  it('refuses a store without a Square location', () => {
    expect(loyaltyCallsOf(sale!, { ...config, locations: { '9999': 'X' } })).toMatchObject({
      ok: false,
      type: 'unmapped_store',
    });
  });
});
