import { canonicalFixtures } from '@poshub/sdk/testing';
import { describe, expect, it } from 'vitest';
import { inventoryFixtures } from './inventory-fixtures.ts';
import { stockChangesOf } from './stock-changes.ts';

const opts = { restockWhenUnknown: true };
const [sale, refund] = canonicalFixtures();
const [, damage, transfer, count] = inventoryFixtures();

describe('stockChangesOf (canonical fixtures)', () => {
  it('takes a sale out of the store, skipping the weighed line Shopify cannot count', () => {
    expect(stockChangesOf(sale!, opts)).toEqual({
      change: {
        kind: 'adjust',
        reason: 'other',
        reference: `gid://poshub/sale/${sale!.id}`,
        deltas: [{ sku: 'TSHIRT-M-BLU', location: '0042', delta: -2 }],
      },
      skipped: [{ line: '2', why: 'fractional quantity 0.42' }],
    });
  });

  it('restocks a return only when its lines go back to stock', () => {
    const unitReturn = structuredClone(refund!) as typeof refund & {
      data: { lines: Array<Record<string, unknown>> };
    };
    unitReturn.data.lines = [
      { ...unitReturn.data.lines[0], item: { sku: 'TSHIRT-M-BLU' }, quantity: '-1', restock: true },
      {
        ...unitReturn.data.lines[0],
        lineNumber: '9',
        item: { sku: 'MUG-01' },
        quantity: '-1',
        restock: false,
      },
    ];
    expect(stockChangesOf(unitReturn, opts).change).toMatchObject({
      kind: 'adjust',
      reason: 'restock',
      deltas: [{ sku: 'TSHIRT-M-BLU', location: '0042', delta: 1 }],
    });
    const unknown = structuredClone(unitReturn);
    for (const l of unknown.data.lines) delete l.restock;
    expect(stockChangesOf(unknown, { restockWhenUnknown: false })).toEqual({ skipped: [] });
  });

  it('maps adjustments, transfers and counts', () => {
    expect(stockChangesOf(damage!, opts).change).toMatchObject({
      reason: 'damaged',
      deltas: [{ sku: 'TSHIRT-M-BLU', location: '0042', delta: -1 }],
    });
    expect(stockChangesOf(transfer!, opts).change).toMatchObject({
      reason: 'movement_received',
      deltas: [
        { sku: 'TSHIRT-M-BLU', location: 'WH1', delta: -12 },
        { sku: 'TSHIRT-M-BLU', location: '0042', delta: 12 },
      ],
    });
    // A count of zero is a level, not "no change".
    expect(stockChangesOf(count!, opts).change).toMatchObject({
      kind: 'set',
      levels: [{ sku: 'TSHIRT-M-BLU', location: '0042', quantity: 0 }],
    });
  });
});
