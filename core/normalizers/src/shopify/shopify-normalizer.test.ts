import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RetailTransaction } from '@poshub/model';
import { parseMoney } from '@poshub/model';
import { describe, expect, it } from 'vitest';
import { normalizeText } from '../normalize-document.ts';
import { detectFormat } from '../registry.ts';
import { looksLikeShopify } from './shopify-normalizer.ts';

const fixtures = join(import.meta.dirname, '..', '..', 'fixtures');

describe('Shopify detection', () => {
  it('detects every Shopify fixture as shopify', async () => {
    for (const name of await readdir(join(fixtures, 'shopify'))) {
      if (!name.endsWith('.json')) continue;
      const head = (await readFile(join(fixtures, 'shopify', name), 'utf8')).slice(0, 8192);
      expect([name, detectFormat(head)]).toEqual([name, 'shopify']);
    }
  });

  it("never claims another format's fixture", async () => {
    for (const dir of await readdir(fixtures)) {
      if (dir === 'shopify') continue;
      for (const name of await readdir(join(fixtures, dir))) {
        if (name.endsWith('.md')) continue;
        const head = (await readFile(join(fixtures, dir, name), 'utf8')).slice(0, 8192);
        expect([dir, name, looksLikeShopify(head)]).toEqual([dir, name, false]);
      }
    }
  });

  it('refuses a document with Shopify keys but no resource it reads', async () => {
    const result = await normalizeText('{"shop": {"id": 1, "presentment_currency": "USD"}}');
    expect(result.format).toBe('shopify');
    expect(result.problems).toMatchObject([{ code: 'shopify.unsupported', pointer: '' }]);
  });

  // Shopify order ids are 13-digit numbers, today between 5.6 and 6.9 trillion: one in ten passes Luhn and falls
  // in the Maestro range. The card-number rule exempts JSON-number values under id keys for that reason.
  it('accepts an order whose 13-digit id passes Luhn in the Maestro range', async () => {
    const doc = JSON.parse(await readFile(join(fixtures, 'shopify', 'pos-order-split-tender.json'), 'utf8'));
    doc.order.id = 5600000000002;
    const result = await normalizeText(JSON.stringify(doc));
    expect(result.problems).toEqual([]);
  });
});

describe('Shopify totals', () => {
  // The document's own grand total: total_price of an order, minus the refund transactions of a refund.
  type Doc = { order?: { total_price: string }; refund?: { transactions: Array<{ amount: string }> } };
  const stated: Record<string, (doc: Doc) => string | undefined> = {
    'rest-order.json': (doc) => doc.order?.total_price,
    'pos-order-split-tender.json': (doc) => doc.order?.total_price,
    // One refund transaction in the sample: its amount, paid out.
    'rest-refund.json': (doc) => `-${doc.refund?.transactions[0]?.amount}`,
  };

  it.each(Object.keys(stated))('%s: the canonical total is the total the document states', async (name) => {
    const text = await readFile(join(fixtures, 'shopify', name), 'utf8');
    const result = await normalizeText(text);
    expect(result.problems).toEqual([]);
    const t = result.events[0]?.data as RetailTransaction;
    expect(parseMoney(stated[name]!(JSON.parse(text)) ?? '', t.currency)).toEqual({
      ok: true,
      value: t.total,
    });
  });
});
