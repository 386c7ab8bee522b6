import { readServiceUrls } from '@poshub/local-services';
import { requireService } from '@poshub/local-services/require-service';
import { naturalKeyText } from '@poshub/model';
import { openDatabase, type Store } from '@poshub/store';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admitDeliveries, type LaneRules } from './admit-deliveries.ts';
import { testEvent } from './dispatch-test-kit.ts';
import { resolveDeliveries } from './resolve-deliveries.ts';

// Causal order across two stores on the real PostgreSQL server (PGlite has one session, so this cannot
// happen there): a return admitted at store B while its sale, at store A, is being resolved by another
// transaction must not park behind a sale that is about to be applied and then wait out its whole bound.
// Before migration 0009 the return parked on the sale's old status and nobody woke it up.
const services = readServiceUrls();
const database = `poshub_causal_${process.pid}_${Date.now()}`;
let admin: pg.Client;
let store: Store;

beforeAll(async () => {
  await requireService('postgres', services.databaseUrl);
  admin = new pg.Client({ connectionString: services.databaseUrl });
  await admin.connect();
  await admin.query(`create database ${database}`);
  const url = new URL(services.databaseUrl);
  url.pathname = `/${database}`;
  store = await openDatabase({ kind: 'postgres', url: url.toString(), poolSize: 4 });
}, 60_000);

afterAll(async () => {
  await store?.close();
  await admin?.query(`drop database if exists ${database} with (force)`);
  await admin?.end();
});

async function commit(events: ReturnType<typeof testEvent>[]) {
  for (const event of events) {
    const key = (event.data as { key: Parameters<typeof naturalKeyText>[0] & { businessDay: string } }).key;
    await store.db
      .insertInto('events')
      .values({
        id: event.id,
        type: event.type,
        store_id: event.subject,
        business_key: naturalKeyText(key),
        workstation_id: key.workstationId,
        business_day: key.businessDay,
        sequence: key.sequence,
        content_hash: event.id,
        body: JSON.stringify(event),
        training: false,
      })
      .execute();
  }
}

describe.each([false, true])(
  'a return admitted while its sale is being resolved (ordered lane: %s)',
  (ordered) => {
    it('waits for that resolve and goes ahead, instead of parking with no one left to wake it', async () => {
      const connectorId = `race-${ordered ? 'ordered' : 'plain'}`;
      await store.db
        .insertInto('connectors')
        .values({ id: connectorId, registered_at: new Date(0) })
        .execute();
      const rules: LaneRules = {
        connectorId,
        types: ['sale.completed.v1', 'return.completed.v1'],
        orderedPerStore: ordered,
        staleAfterMs: 60_000,
        causalWaitMs: 300_000,
      };
      const sale = testEvent(`A${ordered ? 1 : 0}`, 1);
      const saleKey = (sale.data as { key: Parameters<typeof naturalKeyText>[0] }).key;
      const ret = testEvent(`B${ordered ? 1 : 0}`, 7, 'return', [{ kind: 'return', key: saleKey }]);
      await commit([sale, ret]);
      const [admitted] = await admitDeliveries(store.db, rules, [
        { message: sale, wanted: true, originalKeys: [] },
      ]);
      expect(admitted).toMatchObject({ kind: 'go' });

      // The sale's resolve runs in its own transaction and has not committed yet...
      let finish = () => {};
      const held = new Promise<void>((resolve) => {
        finish = resolve;
      });
      let resolving = () => {};
      const started = new Promise<void>((resolve) => {
        resolving = resolve;
      });
      const resolve = store.db.transaction().execute(async (trx) => {
        await resolveDeliveries(trx, connectorId, ordered, [
          { message: sale, resolution: { status: 'applied' } },
        ]);
        resolving();
        await held;
      });
      await started;
      // ...when the return that refers to it is admitted, in another store.
      const admitting = admitDeliveries(store.db, rules, [
        { message: ret, wanted: true, originalKeys: [naturalKeyText(saleKey)] },
      ]);
      await new Promise((r) => setTimeout(r, 300));
      finish();
      await resolve;
      const [decision] = await admitting;
      expect(decision).toMatchObject({ kind: 'go' });
      const row = await store.db
        .selectFrom('deliveries')
        .select(['status', 'waiting_on'])
        .where('connector_id', '=', connectorId)
        .where('event_id', '=', ret.id)
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ status: 'pending', waiting_on: null });
    });
  },
);
