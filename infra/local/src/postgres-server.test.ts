import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireService } from './require-service.ts';
import { readServiceUrls } from './service-urls.ts';

describe('PostgreSQL server (real)', () => {
  const urls = readServiceUrls();
  const table = `poshub_test_${process.pid}_${Date.now()}`;
  const client = new pg.Client({ connectionString: urls.databaseUrl });

  beforeAll(async () => {
    await requireService('postgres', urls.databaseUrl);
    await client.connect();
    await client.query(`create table ${table} (id bigserial primary key, payload jsonb not null)`);
  });

  afterAll(async () => {
    await client.query(`drop table if exists ${table}`);
    await client.end();
  });

  it('runs with synchronous_commit on, so a commit means the WAL is flushed', async () => {
    const { rows } = await client.query<{ synchronous_commit: string }>('show synchronous_commit');
    expect(rows[0]?.synchronous_commit).toBe('on');
  });

  it('keeps a committed transaction and forgets a rolled-back one', async () => {
    await client.query('begin');
    await client.query(`insert into ${table} (payload) values ($1)`, [{ sale: 'kept' }]);
    await client.query('commit');

    await client.query('begin');
    await client.query(`insert into ${table} (payload) values ($1)`, [{ sale: 'dropped' }]);
    await client.query('rollback');

    // A second connection sees only what was committed.
    const other = new pg.Client({ connectionString: urls.databaseUrl });
    await other.connect();
    try {
      const { rows } = await other.query<{ sale: string }>(`select payload->>'sale' as sale from ${table}`);
      expect(rows.map((r) => r.sale)).toEqual(['kept']);
    } finally {
      await other.end();
    }
  });
});
