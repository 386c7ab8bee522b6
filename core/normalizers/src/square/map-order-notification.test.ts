import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { OmnichannelOrder } from '@poshub/model';
import { describe, expect, it } from 'vitest';
import { normalizeText } from '../normalize-document.ts';

const fixture = (name: string) =>
  readFile(join(import.meta.dirname, '..', '..', 'fixtures', 'square', name), 'utf8');

describe('Square order.updated webhook (thin)', () => {
  it('is an incomplete order update: id, state and version only, to be fetched', async () => {
    const result = await normalizeText(await fixture('OrderUpdatedEvent.example.json'));
    expect(result.problems).toEqual([]);
    expect(result.events.map((e) => [e.type, e.subject])).toEqual([['order.updated.v1', 'FPYCBCHYMXFK1']]);
    const order = result.events[0]?.data as OmnichannelOrder;
    expect(order).toMatchObject({
      orderId: 'eA3vssLHKJrv9H0IdJCM3gNqfdcZY',
      status: 'open',
      complete: false,
      lines: [],
    });
    expect(order.total).toBeUndefined();
    expect(order.source.version).toBe('2');
    expect(order.source.ids).toContainEqual({
      scheme: 'square.webhook_event',
      value: '4b8e5c91-9f17-4cf1-900a-4a0629f81add',
    });
  });

  it('collapses repeated deliveries, and never takes the id of the fetched order', async () => {
    const doc = JSON.parse(await fixture('OrderUpdatedEvent.example.json'));
    const first = await normalizeText(JSON.stringify(doc));
    doc.event_id = 'a-redelivery';
    const again = await normalizeText(JSON.stringify(doc));
    expect(again.events[0]?.id).toBe(first.events[0]?.id);
    doc.data.object.order_updated.version = 3;
    doc.data.object.order_updated.state = 'COMPLETED';
    const next = await normalizeText(JSON.stringify(doc));
    expect(next.events[0]?.id).not.toBe(first.events[0]?.id);
    expect((next.events[0]!.data as OmnichannelOrder).status).toBe('completed');
  });

  it('reads order.created as a created notification, and refuses one without order id', async () => {
    const doc = JSON.parse(await fixture('OrderUpdatedEvent.example.json'));
    doc.type = 'order.created';
    doc.data.type = 'order_created';
    const { order_updated: notice } = doc.data.object;
    delete notice.updated_at;
    doc.data.object = { order_created: notice };
    const created = await normalizeText(JSON.stringify(doc));
    expect(created.events[0]?.type).toBe('order.created.v1');
    delete notice.order_id;
    const bad = await normalizeText(JSON.stringify(doc));
    expect(bad.problems).toMatchObject([
      { code: 'field.missing', pointer: '/data/object/order_created/order_id' },
    ]);
  });
});
