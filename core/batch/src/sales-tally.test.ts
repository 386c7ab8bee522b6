import type { Money, RetailTransaction } from '@poshub/model';
import { describe, expect, it } from 'vitest';
import { postVoidedKeys, SalesTally } from './sales-tally.ts';

const usd = (minor: number): Money => ({ minor, currency: 'USD', exponent: 2 });
const key = (sequence: string) => ({
  storeId: '0042',
  workstationId: '03',
  businessDay: '2026-03-14',
  sequence,
  businessDaySource: 'source' as const,
});

/** A transaction with only what the tally reads filled in. */
function txn(part: Partial<RetailTransaction>): RetailTransaction {
  return {
    kind: 'sale',
    trainingMode: false,
    key: key('1'),
    currency: 'USD',
    occurredAt: { raw: '2026-03-14T12:00:00Z', source: 'explicit' },
    channel: 'store',
    lines: [],
    discounts: [],
    taxes: [],
    fees: [],
    tenders: [],
    total: usd(0),
    stated: {},
    links: [],
    source: { system: 'pos', format: 'canonical', ids: [], timestamps: {} },
    ...part,
  };
}

const line = (amount: number, extra: Partial<RetailTransaction['lines'][number]> = {}) => ({
  lineNumber: '1',
  direction: 'sale' as const,
  voided: false,
  item: { ids: [] },
  quantity: '1',
  extendedAmount: usd(amount),
  discounts: [],
  taxes: [],
  ...extra,
});

describe('SalesTally', () => {
  it('derives the taxable base of a tax added on top from the line net of its discounts, and leaves out voided lines and declined tenders', () => {
    const tally = new SalesTally();
    tally.add(
      txn({
        lines: [
          line(1000, {
            discounts: [{ kind: 'coupon', amount: usd(-100) }],
            taxes: [{ rate: '8.875', rateDerived: false, amount: usd(80), included: false }],
          }),
          line(500, {
            voided: true,
            taxes: [{ rate: '8.875', rateDerived: false, amount: usd(44), included: false }],
          }),
        ],
        // A transaction-level tax without a stated base: its base is not known.
        taxes: [{ code: 'CITY', rateDerived: false, amount: usd(5), included: false }],
        tenders: [
          { type: 'card', amount: usd(985), purpose: 'payment', status: 'approved', ids: [] },
          { type: 'card', amount: usd(985), purpose: 'payment', status: 'declined', ids: [] },
        ],
        total: usd(985),
      }),
    );
    const view = tally.view();
    expect(view.byTaxRate).toEqual([
      { rate: '8.875', code: null, included: false, taxable: usd(900), tax: usd(80), taxableComplete: true },
      { rate: null, code: 'CITY', included: false, taxable: usd(0), tax: usd(5), taxableComplete: false },
    ]);
    expect(view.byTender).toEqual([{ type: 'card', amount: usd(985), count: 1 }]);
    expect(view.discounts).toEqual([{ kind: 'coupon', amount: usd(-100), count: 1 }]);
    expect(view.takings).toEqual([usd(985)]);
  });

  it('counts a post-voided sale without its money', () => {
    const tally = new SalesTally();
    tally.add(txn({ total: usd(700) }), { postVoided: true });
    tally.add(txn({ kind: 'post_void', key: key('2'), total: usd(700) }));
    expect(tally.view()).toMatchObject({
      transactions: { sale: 1, post_void: 1, postVoided: 1 },
      takings: [],
      postVoids: { count: 1, total: [usd(700)] },
    });
  });
});

describe('postVoidedKeys', () => {
  it("names the transactions a post-void undoes, not the post-void's own key", () => {
    const postVoid = txn({
      kind: 'post_void',
      key: key('9'),
      links: [
        { kind: 'post_void', key: { workstationId: '03', sequence: '4' }, ids: [] },
        { kind: 'post_void', key: { ...key('9') }, ids: [], reason: 'VoidedFlag' },
        { kind: 'return', key: { workstationId: '03', sequence: '1' }, ids: [] },
      ],
    });
    expect(postVoidedKeys(postVoid)).toEqual(['0042|03|2026-03-14|4']);
    expect(postVoidedKeys(txn({ links: postVoid.links }))).toEqual([]);
  });
});
