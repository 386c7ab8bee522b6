import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { MIGRATIONS } from './migrate.ts';
import { openDatabase } from './open-database.ts';

describe('embedded PGlite store', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('migrates, commits, rolls back, and keeps data across a reopen', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'poshub-pglite-'));
    dirs.push(dir);
    const store = await openDatabase({ kind: 'pglite', dataDir: dir });
    await store.db
      .insertInto('events')
      .values({
        id: 'e1',
        type: 't',
        store_id: 's',
        business_key: 'k',
        content_hash: 'h',
        body: '{"a":1}',
        training: false,
      })
      .execute();
    await expect(
      store.db.transaction().execute(async (trx) => {
        await trx
          .insertInto('events')
          .values({
            id: 'e2',
            type: 't',
            store_id: 's',
            business_key: null,
            content_hash: 'h',
            body: '{}',
            training: false,
          })
          .execute();
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    await store.close();

    const again = await openDatabase({ kind: 'pglite', dataDir: dir });
    const rows = await again.db.selectFrom('events').select(['id', 'body']).execute();
    expect(rows).toEqual([{ id: 'e1', body: { a: 1 } }]);
    const { rows: version } = await sql<{
      n: number;
    }>`select count(*)::int as n from kysely_migration`.execute(again.db);
    // Every migration ran once, and reopening ran none twice.
    expect(version[0]?.n).toBe(Object.keys(MIGRATIONS).length);
    await again.close();
  });
});
