import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CanonicalEvent } from '@poshub/model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type DispatchHarness,
  eventually,
  recordingTarget,
  startHarness,
  testEvent,
} from './dispatch-test-kit.ts';
import { editPayload } from './edit-payload.ts';
import { inspectDelivery } from './inspect-delivery.ts';
import { listDeliveries } from './list-deliveries.ts';
import { replayDeliveries } from './replay-deliveries.ts';
import { resyncEntity } from './resync-entity.ts';

const SALE = 'sale.completed.v1';
const FIXTURE = join(
  import.meta.dirname,
  '..',
  '..',
  'normalizers',
  'fixtures',
  'canonical',
  'sale-two-lines.json',
);

/** The canonical fixture sale, moved to another store and sequence: a complete, valid transaction. */
async function fixtureSale(store: string, sequence: string): Promise<CanonicalEvent> {
  const event = JSON.parse(await readFile(FIXTURE, 'utf8'));
  event.id = `evt-${store}-${sequence}-fixture`;
  event.subject = store;
  event.data.key.storeId = store;
  event.data.key.sequence = sequence;
  return event;
}

describe('DLQ: list, inspect, edit, replay, re-sync (PGlite)', () => {
  let fixed = false;
  const received: CanonicalEvent[] = [];
  const erp = recordingTarget('erp', [SALE], (event) => {
    received.push(event);
    return fixed || event.subject !== 'd1'
      ? { ok: true }
      : { ok: false, error: { retryable: false, type: 'invalid_sku', message: 'unknown SKU' } };
  });
  let h: DispatchHarness;
  const dead = [testEvent('d1', 1), testEvent('d1', 2)];
  const fine = testEvent('d2', 1);

  beforeAll(async () => {
    h = await startHarness([erp]);
    await h.commit([...dead, fine]);
    await eventually(async () => (await listDeliveries(h.store.db, { connector: 'erp' })).length === 2);
    await eventually(() => erp.applied.includes(fine.id));
  }, 60_000);
  afterAll(async () => h?.close(), 60_000);

  it('lists the DLQ with filters and pages, and inspects one delivery with its error history', async () => {
    const all = await listDeliveries(h.store.db, { connector: 'erp' });
    expect(all.map((d) => d.eventId)).toEqual(dead.map((e) => e.id));
    expect(all[0]).toMatchObject({
      store: 'd1',
      type: SALE,
      status: 'dead',
      attempts: 1,
      lastErrorType: 'invalid_sku',
    });
    expect(await listDeliveries(h.store.db, { connector: 'erp', errorType: 'http_503' })).toEqual([]);
    expect(await listDeliveries(h.store.db, { connector: 'erp', store: 'd2' })).toEqual([]);
    const page2 = await listDeliveries(h.store.db, { connector: 'erp' }, { limit: 1, after: all[0]!.cursor });
    expect(page2.map((d) => d.eventId)).toEqual([dead[1]!.id]);
    const applied = await listDeliveries(h.store.db, { connector: 'erp', status: ['applied'] });
    expect(applied.map((d) => d.eventId)).toEqual([fine.id]);

    const detail = await inspectDelivery(h.store.db, 'erp', dead[0]!.id);
    expect(detail?.attemptHistory).toEqual([
      expect.objectContaining({
        attempt: 1,
        outcome: 'permanent',
        errorType: 'invalid_sku',
        errorMessage: 'unknown SKU',
      }),
    ]);
    expect(detail?.event.id).toBe(dead[0]!.id);
    expect(await inspectDelivery(h.store.db, 'erp', 'no-such-event')).toBeUndefined();
  });

  it('refuses a bad edit (card number, schema, missing reason) and stores nothing; keeps a good one beside the original', async () => {
    const original = dead[0]!;
    const withCard = { ...original.data, note: '4111 1111 1111 1111' };
    const refused = await editPayload(h.store.db, {
      connector: 'erp',
      eventId: original.id,
      data: withCard,
      reason: 'fix',
      actor: 'ops@example.com',
    });
    expect(refused.ok).toBe(false);
    const noReason = await editPayload(h.store.db, {
      connector: 'erp',
      eventId: original.id,
      data: original.data,
      reason: ' ',
      actor: 'ops',
    });
    expect(noReason).toMatchObject({ ok: false, status: 422, problems: [{ code: 'reason_required' }] });
    const missing = await editPayload(h.store.db, {
      connector: 'erp',
      eventId: 'nope',
      data: {},
      reason: 'x',
      actor: 'ops',
    });
    expect(missing).toMatchObject({ ok: false, status: 404 });
    expect(await h.store.db.selectFrom('payload_edits').selectAll().execute()).toEqual([]);
    const applied = await editPayload(h.store.db, {
      connector: 'erp',
      eventId: fine.id,
      data: fine.data,
      reason: 'x',
      actor: 'ops',
    });
    expect(applied).toMatchObject({ ok: false, status: 409 });
  });

  it('dry-runs a replay (sends nothing, changes nothing), then replays the DLQ once the target is fixed', async () => {
    const dry = await replayDeliveries(
      h.store.db,
      h.transport,
      { connector: 'erp', dryRun: true, actor: 'ops' },
      [SALE],
    );
    expect(dry).toMatchObject({ dryRun: true, count: 2, truncated: false });
    expect(dry.items.map((i) => [i.eventId, i.was])).toEqual(dead.map((e) => [e.id, 'dead']));
    await new Promise((r) => setTimeout(r, 300));
    expect((await listDeliveries(h.store.db, { connector: 'erp' })).length).toBe(2);

    fixed = true;
    const before = received.length;
    const run = await replayDeliveries(
      h.store.db,
      h.transport,
      { connector: 'erp', dryRun: false, actor: 'ops' },
      [SALE],
    );
    expect(run.count).toBe(2);
    await eventually(() => dead.every((e) => erp.applied.includes(e.id)));
    expect(received.length - before).toBe(2);
    expect(await listDeliveries(h.store.db, { connector: 'erp' })).toEqual([]);
    const audit = await h.store.db
      .selectFrom('dispatch_audit')
      .selectAll()
      .where('action', '=', 'replay')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: 'ops', connector_id: 'erp' });
  });

  it('sends an edited payload on replay, the stored event unchanged', async () => {
    fixed = false;
    const e = await fixtureSale('d1', '44');
    await h.commit([e]);
    await eventually(async () =>
      (await listDeliveries(h.store.db, { connector: 'erp' })).some((d) => d.eventId === e.id),
    );
    const data = { ...(e.data as object), receiptNumber: 'R-FIXED' };
    const edit = await editPayload(h.store.db, {
      connector: 'erp',
      eventId: e.id,
      data,
      reason: 'wrong receipt',
      actor: 'ops',
    });
    expect(edit.ok).toBe(true);
    fixed = true;
    await replayDeliveries(
      h.store.db,
      h.transport,
      { connector: 'erp', eventIds: [e.id], dryRun: false, actor: 'ops' },
      [SALE],
    );
    await eventually(() => erp.applied.includes(e.id));
    const sent = received.filter((r) => r.id === e.id).at(-1)!;
    expect((sent.data as { receiptNumber?: string }).receiptNumber).toBe('R-FIXED');
    const stored = await h.store.db
      .selectFrom('events')
      .select('body')
      .where('id', '=', e.id)
      .executeTakeFirstOrThrow();
    expect((stored.body as CanonicalEvent & { data: { receiptNumber?: string } }).data.receiptNumber).toBe(
      '0042-03-1187',
    );
    const detail = await inspectDelivery(h.store.db, 'erp', e.id);
    expect(detail?.edits).toEqual([expect.objectContaining({ reason: 'wrong receipt', editedBy: 'ops' })]);
  });

  it('replays everything since T, applied included, and re-syncs one transaction by business key', async () => {
    fixed = true;
    const since = new Date(Date.now() - 60_000);
    const dry = await replayDeliveries(
      h.store.db,
      h.transport,
      { connector: 'erp', since, dryRun: true, actor: 'ops' },
      [SALE],
    );
    expect(dry.items.map((i) => i.eventId)).toEqual(
      expect.arrayContaining([fine.id, ...dead.map((e) => e.id)]),
    );
    expect(dry.items.find((i) => i.eventId === fine.id)?.was).toBe('applied');

    const countOf = (id: string) => erp.applied.filter((x) => x === id).length;
    const beforeFine = countOf(fine.id);
    const resync = await resyncEntity(
      h.store.db,
      h.transport,
      {
        connector: 'erp',
        entity: { kind: 'transaction', id: 'd2|01|2026-11-23|1' },
        dryRun: false,
        actor: 'ops',
      },
      [SALE],
    );
    expect(resync.items.map((i) => i.eventId)).toEqual([fine.id]);
    await eventually(() => countOf(fine.id) === beforeFine + 1);
  });
});
