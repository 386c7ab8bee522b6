import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { InventoryCount } from '@poshub/model';
import { describe, expect, it } from 'vitest';
import { normalizeText } from '../normalize-document.ts';

const fixture = () =>
  readFile(
    join(import.meta.dirname, '..', '..', 'fixtures', 'square', 'InventoryCountUpdatedEvent.example.json'),
    'utf8',
  );

describe('Square inventory.count.updated webhook', () => {
  it('is an absolute count with the quantity as decimal text', async () => {
    const result = await normalizeText(await fixture());
    expect(result.problems).toEqual([]);
    expect(result.events.map((e) => [e.type, e.subject])).toEqual([
      ['inventory.counted.v1', 'YYQR03DGCTXA4'],
    ]);
    const count = result.events[0]?.data as InventoryCount;
    expect(count.lines).toEqual([
      {
        item: { ids: [{ scheme: 'square.catalog_object', value: 'FGQ5JJWT2PYTHF35CKZ2DSKP' }] },
        quantity: '10',
        state: 'in_stock',
      },
    ]);
    // Nanosecond digits stay in the raw timestamp.
    expect(count.occurredAt.raw).toBe('2019-10-29T18:38:45.10296Z');
  });

  it('groups counts by location and time, keeps fractions, refuses only the unreadable count', async () => {
    const doc = JSON.parse(await fixture());
    const [first] = doc.data.object.inventory_counts;
    doc.data.object.inventory_counts.push(
      { ...first, catalog_object_id: 'SECONDVARIATION', quantity: '2.50000', state: 'WASTE' },
      { ...first, location_id: 'OTHERLOCATION', calculated_at: '2019-10-29T25:44:22.10296Z' },
    );
    const result = await normalizeText(JSON.stringify(doc));
    expect(result.events).toHaveLength(1);
    expect((result.events[0]!.data as InventoryCount).lines.map((l) => [l.quantity, l.state])).toEqual([
      ['10', 'in_stock'],
      ['2.50000', 'waste'],
    ]);
    expect(result.problems).toMatchObject([
      { code: 'time.invalid', pointer: '/data/object/inventory_counts/2/calculated_at' },
    ]);
  });

  it('reads a counts response, and refuses a quantity that is not a number', async () => {
    const doc = JSON.parse(await fixture());
    const counts = doc.data.object.inventory_counts;
    expect((await normalizeText(JSON.stringify({ counts }))).events).toHaveLength(1);
    counts[0].quantity = '10 units';
    const bad = await normalizeText(JSON.stringify({ counts }));
    expect(bad.problems).toMatchObject([{ code: 'decimal.invalid', pointer: '/counts/0/quantity' }]);
  });
});
