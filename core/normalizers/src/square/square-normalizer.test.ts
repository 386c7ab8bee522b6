import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Money } from '@poshub/model';
import { describe, expect, it } from 'vitest';
import { normalizeText } from '../normalize-document.ts';
import { detectFormat } from '../registry.ts';
import { looksLikeSquare } from './square-normalizer.ts';

const fixtures = join(import.meta.dirname, '..', '..', 'fixtures');

describe('Square detection', () => {
  it('detects every Square fixture as square', async () => {
    for (const name of await readdir(join(fixtures, 'square'))) {
      if (!name.endsWith('.json')) continue;
      const head = (await readFile(join(fixtures, 'square', name), 'utf8')).slice(0, 8192);
      expect([name, detectFormat(head)]).toEqual([name, 'square']);
    }
  });

  it("never claims another format's fixture", async () => {
    for (const dir of await readdir(fixtures)) {
      if (dir === 'square') continue;
      for (const name of await readdir(join(fixtures, dir))) {
        if (name.endsWith('.md')) continue;
        const head = (await readFile(join(fixtures, dir, name), 'utf8')).slice(0, 8192);
        expect([dir, name, looksLikeSquare(head)]).toEqual([dir, name, false]);
      }
    }
  });

  it('does not take Shopify money bags for Square money', () => {
    const shopify = '{"order": {"total_price_set": {"shop_money": {"amount": 10, "currency_code": "USD"}}}}';
    expect(looksLikeSquare(shopify)).toBe(false);
    expect(looksLikeSquare('{"tip_money": {"currency": "EUR", "amount": 250}}')).toBe(true);
  });
});

describe('Square documents poshub does not ingest', () => {
  it('refuses an error response, naming it', async () => {
    const result = await normalizeText(
      '{"errors": [{"code": "NOT_FOUND", "category": "INVALID_REQUEST_ERROR"}], "order": null}',
      { format: 'square' },
    );
    expect(result.problems).toMatchObject([{ code: 'square.error_response' }]);
    const only = await normalizeText('{"errors": [{"code": "NOT_FOUND"}]}', { format: 'square' });
    expect(only.problems).toMatchObject([{ code: 'square.error_response' }]);
    expect(only.problems[0]?.message).toContain('NOT_FOUND');
  });

  it('refuses a webhook type it does not read, naming the type', async () => {
    const result = await normalizeText(
      '{"merchant_id": "M", "type": "customer.created", "event_id": "e", "data": {"type": "customer", "object": {}}}',
      { format: 'square' },
    );
    expect(result.problems).toMatchObject([{ code: 'square.unsupported' }]);
    expect(result.problems[0]?.message).toContain('customer.created');
  });
});

describe('Square totals', () => {
  it('gives every order fixture the total the order itself states (net of returns)', async () => {
    const names = (await readdir(join(fixtures, 'square'))).filter((n) => n.endsWith('.json'));
    let checked = 0;
    for (const name of names) {
      const text = await readFile(join(fixtures, 'square', name), 'utf8');
      const order = JSON.parse(text).order;
      if (!order) continue;
      const own = order.net_amounts?.total_money ?? order.total_money;
      const result = await normalizeText(text);
      expect([name, result.problems]).toEqual([name, []]);
      const total = (result.events[0]!.data as { total?: Money }).total;
      expect([name, total?.minor, total?.currency]).toEqual([name, Number(own.amount), own.currency]);
      checked++;
    }
    expect(checked).toBe(4);
  });
});
