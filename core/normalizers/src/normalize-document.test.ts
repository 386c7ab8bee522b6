import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalizeText } from './normalize-document.ts';

const fixture = (path: string) => readFile(join(import.meta.dirname, '..', 'fixtures', path), 'utf8');

describe('normalizeDocument on canonical JSON', () => {
  it('accepts a valid canonical sale as it is', async () => {
    const result = await normalizeText(await fixture('canonical/sale-two-lines.json'));
    expect(result.problems).toEqual([]);
    expect(result.format).toBe('canonical');
    expect(result.events).toHaveLength(1);
    expect(result.events[0]?.type).toBe('sale.completed.v1');
  });

  it('refuses an empty array of events (found by the mutation property test)', async () => {
    const result = await normalizeText('[]', { format: 'canonical' });
    expect(result.events).toEqual([]);
    expect(result.problems).toMatchObject([{ code: 'canonical.empty', pointer: '' }]);
  });

  it('refuses an import batch event: only the imports API makes those', async () => {
    const doc = JSON.parse(await fixture('canonical/sale-two-lines.json'));
    const batch = {
      ...doc,
      id: 'x-1',
      type: 'catalog.prices.imported.v1',
      data: { importId: 'i', batch: 1, rows: [] },
    };
    const result = await normalizeText(JSON.stringify([doc, batch]), { format: 'canonical' });
    expect(result.events.map((e) => e.type)).toEqual(['sale.completed.v1']);
    expect(result.problems).toMatchObject([{ code: 'canonical.import_only', pointer: '/1/type' }]);
  });

  it('refuses a document it cannot identify, naming the formats', async () => {
    const result = await normalizeText('{"hello": "world"}');
    expect(result.problems).toMatchObject([{ code: 'format.unknown' }]);
    expect(result.problems[0]?.message).toContain('poslog');
  });

  it('refuses a full card number anywhere, without echoing it', async () => {
    const doc = JSON.parse(await fixture('canonical/sale-two-lines.json'));
    doc.data.lines[0].item.description = 'card 4111 1111 1111 1111 written on the note';
    const result = await normalizeText(JSON.stringify(doc));
    expect(result.events).toEqual([]);
    expect(result.problems).toMatchObject([
      { code: 'card.full_number', pointer: '/data/lines/0/item/description' },
    ]);
    expect(JSON.stringify(result.problems)).not.toContain('4111111111111111');
    expect(JSON.stringify(result.problems)).not.toContain('4111 1111');
  });

  it('lists every problem with a pointer: unbalanced tenders, wrong signs, bad money', async () => {
    const doc = JSON.parse(await fixture('canonical/sale-two-lines.json'));
    doc.data.tenders[1].change.minor = 100;
    doc.data.lines[1].quantity = '-0.42';
    const result = await normalizeText(JSON.stringify(doc));
    expect(result.problems.map((p) => [p.code, p.pointer])).toEqual([
      ['sign.quantity', '/data/lines/1/quantity'],
      ['tenders.unbalanced', '/data/tenders'],
    ]);
    doc.data.lines[1].extendedAmount = { minor: 1.26, currency: 'USD', exponent: 2 };
    const shape = await normalizeText(JSON.stringify(doc));
    expect(shape.problems).toMatchObject([
      { code: 'schema.invalid_type', pointer: '/data/lines/1/extendedAmount/minor' },
    ]);
  });

  it('points into the right item of a batch (JSON array and NDJSON)', async () => {
    const good = JSON.parse(await fixture('canonical/sale-two-lines.json'));
    const bad = structuredClone(good);
    bad.data.currency = 'EUR';
    const asArray = await normalizeText(JSON.stringify([good, bad]));
    expect(asArray.events).toHaveLength(1);
    expect(asArray.problems[0]).toMatchObject({ code: 'currency.mismatch', pointer: '/1/data/total' });
    const ndjson = await normalizeText(`${JSON.stringify(good)}\n${JSON.stringify(bad)}\n`);
    expect(ndjson.events).toHaveLength(1);
    expect(ndjson.problems[0]?.pointer).toMatch(/^\/1\/data\//);
  });
});
