import { readServiceUrls } from '@poshub/local-services';
import { requireService } from '@poshub/local-services/require-service';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Store } from './open-database.ts';

// The real PostgreSQL server: connections cut by the server (a restart, a failover, an admin) must fail the
// work in progress, never the process, and the pool must recover with new connections.
const services = readServiceUrls();
const database = `poshub_store_${process.pid}_${Date.now()}`;
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

describe('PostgreSQL store when the server cuts its connections', () => {
  it('fails the transaction in progress, keeps the process, and serves the next query on a new connection', async () => {
    let pid = 0;
    const cut = store.db.transaction().execute(async (trx) => {
      pid = (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx)).rows[0]!.pid;
      // The server terminates this session while the transaction holds it (between two statements).
      await admin.query('select pg_terminate_backend($1)', [pid]);
      await new Promise((r) => setTimeout(r, 200));
      await sql`select 1`.execute(trx);
    });
    await expect(cut).rejects.toThrow();
    // Idle connections cut too, as a server restart would.
    await admin.query(
      'select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
      [database],
    );
    await new Promise((r) => setTimeout(r, 200));
    const { rows } = await sql<{ one: number }>`select 1 as one`.execute(store.db);
    expect(rows).toEqual([{ one: 1 }]);
  });
});
