import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { appendEvents } from './append-events.ts';
import { openDatabase } from './open-database.ts';

describe('appendEvents (PGlite)', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('stores events with one outbox row each; appending them again adds nothing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'poshub-append-'));
    dirs.push(dir);
    const store = await openDatabase({ kind: 'pglite', dataDir: dir });
    const events = ['e1', 'e2'].map((id, i) => ({
      id,
      type: 'catalog.prices.imported.v1',
      storeId: i === 0 ? '0042' : '*',
      contentHash: `h${i}`,
      body: JSON.stringify({ id, data: { batch: i + 1 } }),
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    }));
    const first = await store.db.transaction().execute((trx) => appendEvents(trx, events));
    expect([...first]).toEqual(['e1', 'e2']);
    const again = await store.db.transaction().execute((trx) => appendEvents(trx, events));
    expect(again.size).toBe(0);
    const outbox = await store.db
      .selectFrom('outbox')
      .select(['event_id', 'store_id', 'traceparent'])
      .orderBy('id')
      .execute();
    expect(outbox).toEqual([
      { event_id: 'e1', store_id: '0042', traceparent: events[0]!.traceparent },
      { event_id: 'e2', store_id: '*', traceparent: events[1]!.traceparent },
    ]);
    const stored = await store.db
      .selectFrom('events')
      .select(['id', 'store_id', 'business_key', 'training', 'body'])
      .execute();
    expect(stored).toHaveLength(2);
    expect(stored[0]).toMatchObject({
      id: 'e1',
      store_id: '0042',
      business_key: null,
      training: false,
      body: { id: 'e1' },
    });
    await store.close();
  });
});
