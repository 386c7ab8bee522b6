import type { BusinessDayClose, Money, RetailTransaction } from '@poshub/model';
import { describe, expect, it } from 'vitest';
import { compareClose, type DayReceipts } from './compare-close.ts';
import { SalesTally } from './sales-tally.ts';

const eur = (minor: number): Money => ({ minor, currency: 'EUR', exponent: 2 });

function receipts(
  sales: Array<{ total: Money; tender: string }>,
  sequences: Record<string, string[]>,
): DayReceipts {
  const tally = new SalesTally();
  for (const s of sales) {
    tally.add({
      kind: s.total.minor < 0 ? 'return' : 'sale',
      total: s.total,
      tenders: [{ type: s.tender, amount: s.total, purpose: 'payment', status: 'approved', ids: [] }],
      lines: [],
      discounts: [],
      taxes: [],
      fees: [],
      links: [],
    } as unknown as RetailTransaction);
  }
  return { tally, control: 0, training: 0, sequences: new Map(Object.entries(sequences)) };
}

function close(till: Partial<BusinessDayClose['tillTotals']>, workstationId?: string): BusinessDayClose {
  return {
    storeId: '0042',
    ...(workstationId ? { workstationId } : {}),
    businessDay: '2026-03-14',
    closedAt: { raw: '2026-03-14T22:00:00Z', source: 'explicit' },
    tillTotals: { transactionCount: 0, grandTotal: eur(0), byTender: [], ...till },
    source: { system: 'pos', format: 'canonical', ids: [], timestamps: {} },
  };
}

describe('compareClose', () => {
  it('matches a close that states what the hub received', () => {
    const got = receipts(
      [
        { total: eur(1000), tender: 'card' },
        { total: eur(-200), tender: 'cash' },
      ],
      {
        '03': ['1', '2'],
      },
    );
    const result = compareClose(
      close(
        {
          transactionCount: 2,
          firstSequence: '1',
          lastSequence: '2',
          grandTotal: eur(800),
          returnsTotal: eur(-200),
          byTender: [
            { type: 'card', amount: eur(1000) },
            { type: 'cash', amount: eur(-200) },
          ],
        },
        '03',
      ),
      got,
    );
    expect(result.status).toBe('matched');
    expect(result.differences).toEqual([]);
    expect(result.received).toMatchObject({
      transactionCount: 2,
      firstSequence: '1',
      lastSequence: '2',
      grandTotal: eur(800),
    });
  });

  it('names every difference: a tender type only one side has, takings in another currency, a gap at the end of the till range', () => {
    const got = receipts(
      [
        { total: eur(1000), tender: 'card' },
        { total: { minor: 500, currency: 'CHF', exponent: 2 }, tender: 'cash' },
      ],
      {
        '03': ['1', '2'],
      },
    );
    const result = compareClose(
      close(
        {
          transactionCount: 3,
          firstSequence: '1',
          lastSequence: '3',
          grandTotal: eur(1000),
          byTender: [{ type: 'gift_card', amount: eur(1000) }],
        },
        '03',
      ),
      got,
    );
    expect(result.status).toBe('mismatched');
    expect(result.differences.map((d) => [d.code, d.till, d.received])).toEqual([
      ['transaction_count', 3, 2],
      ['tender_total', eur(0), eur(1000)],
      ['tender_total', eur(1000), eur(0)],
      ['other_currency', undefined, { minor: 500, currency: 'CHF', exponent: 2 }],
      ['missing_sequences', undefined, 1],
    ]);
    expect(result.missing).toEqual([{ workstationId: '03', sequences: ['3'], truncated: false }]);
  });

  it("holds a store-wide close's workstations each to their own lowest and highest sequence", () => {
    const got = receipts([], { '2': ['10', '12'], '10': ['1', '2'], '1': ['5', '7'] });
    const result = compareClose(close({}), got);
    expect(result.missing).toEqual([
      { workstationId: '1', sequences: ['6'], truncated: false },
      { workstationId: '2', sequences: ['11'], truncated: false },
    ]);
    expect(result.received.firstSequence).toBeUndefined();
  });
});
