import { canonicalFixtures } from '@poshub/sdk/testing';
import { describe, expect, it } from 'vitest';
import { type {{System}}Event, is{{System}}Event, to{{System}}Sale } from './mapper.ts';

// The SDK's canonical fixtures: a sale at store 0042, a return of its weighed line, the sale at store 0107.
const [sale, refund] = canonicalFixtures().filter(is{{System}}Event) as [{{System}}Event, {{System}}Event];

describe('to{{System}}Sale', () => {
  it('maps a sale', () => {
    expect(to{{System}}Sale(sale)).toEqual({
      externalId: '5f0c6c1e-8a51-4c1a-9d0e-4f7c2b1a9e01',
      kind: 'sale',
      storeId: '0042',
      workstationId: '03',
      businessDay: '2026-03-14',
      receiptNumber: '0042-03-1187',
      occurredAt: '2026-03-14T18:02:11.000Z',
      currency: 'USD',
      totalMinor: 2576,
      lines: [
        {
          lineNumber: '1',
          sku: 'TSHIRT-M-BLU',
          description: 'T-shirt blue M',
          quantity: '2',
          amountMinor: 2500,
        },
        {
          lineNumber: '2',
          sku: 'APPLE-HC',
          description: 'Apple honeycrisp (kg)',
          quantity: '0.42',
          amountMinor: 126,
        },
      ],
    });
  });

  it('maps a return with negative quantities and amounts', () => {
    expect(to{{System}}Sale(refund)).toMatchObject({
      kind: 'return',
      businessDay: '2026-03-15',
      totalMinor: -126,
      lines: [{ lineNumber: '1', sku: 'APPLE-HC', quantity: '-0.42', amountMinor: -126 }],
    });
  });

  it('leaves out lines voided in the basket', () => {
    const voided = structuredClone(sale);
    voided.data.lines[0]!.voided = true;
    expect(to{{System}}Sale(voided).lines.map((l) => l.lineNumber)).toEqual(['2']);
  });
});
