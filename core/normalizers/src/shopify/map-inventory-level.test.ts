import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { InventoryCount } from '@poshub/model';
import { describe, expect, it } from 'vitest';
import { normalizeText } from '../normalize-document.ts';

const fixture = () =>
  readFile(join(import.meta.dirname, '..', '..', 'fixtures', 'shopify', 'rest-inventory_level.json'), 'utf8');

describe('Shopify inventory level', () => {
  it('is an absolute count of one item at one location', async () => {
    const result = await normalizeText(await fixture());
    expect(result.problems).toEqual([]);
    expect(result.events.map((e) => [e.type, e.subject])).toEqual([['inventory.counted.v1', '905684977']]);
    const count = result.events[0]?.data as InventoryCount;
    expect(count.locationId).toBe('905684977');
    expect(count.lines).toEqual([
      {
        item: { ids: [{ scheme: 'shopify.inventory_item', value: '808950810' }] },
        quantity: '6',
        state: 'available',
      },
    ]);
    expect(count.occurredAt.utc).toBe('2018-05-07T19:51:26.000Z');
  });

  it('refuses an untracked level (available null) and a malformed date', async () => {
    const doc = JSON.parse(await fixture());
    doc.inventory_level.available = null;
    doc.inventory_level.updated_at = '2018-13-07T15:51:26-04:00';
    const result = await normalizeText(JSON.stringify(doc), { format: 'shopify' });
    expect(result.problems.map((p) => [p.code, p.pointer])).toEqual([
      ['inventory.untracked', '/inventory_level/available'],
      ['time.invalid', '/inventory_level/updated_at'],
    ]);
  });
});
