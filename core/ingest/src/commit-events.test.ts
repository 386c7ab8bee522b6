import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CanonicalEvent } from '@poshub/model';
import { openDatabase, type Store } from '@poshub/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitEvents, type IngestItem, purgeExpiredKeys } from './commit-events.ts';

let store: Store;
let dir: string;
let sale: CanonicalEvent;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'poshub-commit-'));
  store = await openDatabase({ kind: 'pglite', dataDir: dir });
  sale = JSON.parse(
    await readFile(
      join(import.meta.dirname, '../../normalizers/fixtures/canonical/sale-two-lines.json'),
      'utf8',
    ),
  );
}, 120_000);

afterAll(async () => {
  await store?.close();
  await rm(dir, { recursive: true, force: true });
});

function item(key: string, event: CanonicalEvent, hash = key): IngestItem {
  return { principal: 'till-1', idempotencyKey: key, requestHash: hash, event };
}

function withSequence(event: CanonicalEvent, sequence: string, id: string): CanonicalEvent {
  const copy = structuredClone(event) as CanonicalEvent & { data: { key: { sequence: string } } };
  copy.id = id;
  copy.data.key.sequence = sequence;
  return copy;
}

describe('commitEvents (embedded PostgreSQL)', () => {
  it('creates the event, its outbox row and the key record in one transaction', async () => {
    const [outcome] = await commitEvents(store.db, [item('k1', sale)]);
    expect(outcome).toMatchObject({
      kind: 'created',
      status: 201,
      body: { id: sale.id, status: 'accepted', businessKey: '0042|03|2026-03-14|1187' },
    });
    const outbox = await store.db.selectFrom('outbox').select('event_id').execute();
    expect(outbox.map((r) => r.event_id)).toEqual([sale.id]);
    const key = await store.db.selectFrom('idempotency_keys').selectAll().executeTakeFirstOrThrow();
    expect(key).toMatchObject({ state: 'done', response_status: 201 });
  });

  it('replays the same key and body, refuses the same key with another body', async () => {
    const [replay] = await commitEvents(store.db, [item('k1', sale)]);
    expect(replay).toMatchObject({ kind: 'replayed', status: 201, body: { id: sale.id } });
    const [reuse] = await commitEvents(store.db, [item('k1', sale, 'another body')]);
    expect(reuse).toMatchObject({ kind: 'key_reused', status: 422 });
  });

  it('treats a resend under a new key as a duplicate when identical, a recorded conflict when not', async () => {
    const [dup] = await commitEvents(store.db, [item('k2', sale)]);
    expect(dup).toMatchObject({ kind: 'duplicate', status: 200, body: { id: sale.id, status: 'duplicate' } });
    const changed = structuredClone(sale) as CanonicalEvent & { data: { receiptNumber: string } };
    changed.data.receiptNumber = 'changed';
    const [conflict] = await commitEvents(store.db, [item('k3', changed)]);
    expect(conflict).toMatchObject({ kind: 'conflict', status: 409, body: { existingEventId: sale.id } });
    const conflicts = await store.db.selectFrom('business_key_conflicts').select(['business_key']).execute();
    expect(conflicts).toEqual([{ business_key: '0042|03|2026-03-14|1187' }]);
    expect(await store.db.selectFrom('events').select('id').execute()).toHaveLength(1);
  });

  it('answers 409 in flight for a key repeated inside one batch, and commits the rest', async () => {
    const a = withSequence(sale, '2001', 'evt-a');
    const b = withSequence(sale, '2002', 'evt-b');
    const outcomes = await commitEvents(store.db, [item('k4', a), item('k4', a), item('k5', b)]);
    expect(outcomes.map((o) => o.kind)).toEqual(['created', 'in_flight', 'created']);
  });

  it('purges idempotency keys only once they have expired', async () => {
    const before = await store.db.selectFrom('idempotency_keys').select('key').execute();
    expect(await purgeExpiredKeys(store.db, new Date())).toBe(0);
    const eightDays = new Date(Date.now() + 8 * 24 * 3600 * 1000);
    expect(await purgeExpiredKeys(store.db, eightDays)).toBe(before.length);
  });

  it('writes nothing when the transaction fails', async () => {
    const before = await store.db.selectFrom('events').select('id').execute();
    // A null store id violates a NOT NULL column: the database refuses the second row mid-transaction.
    const broken = { ...withSequence(sale, '3001', 'evt-broken'), subject: null as unknown as string };
    await expect(
      commitEvents(store.db, [
        item('k6', withSequence(sale, '3000', 'evt-ok')),
        item('k7', broken as CanonicalEvent),
      ]),
    ).rejects.toThrow();
    expect(await store.db.selectFrom('events').select('id').execute()).toEqual(before);
    expect(
      await store.db.selectFrom('idempotency_keys').select('key').where('key', 'in', ['k6', 'k7']).execute(),
    ).toEqual([]);
  });
});
