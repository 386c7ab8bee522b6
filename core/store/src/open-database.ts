import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { migrateToLatest } from './migrate.ts';
import { PGliteDialect } from './pglite-dialect.ts';
import type { Database } from './schema.ts';

/** Where the data lives: a PostgreSQL URL, or a directory for the embedded PGlite database. */
export type StoreConfig =
  | { kind: 'postgres'; url: string; poolSize?: number }
  | { kind: 'pglite'; dataDir: string };

/** An open database: Kysely plus what it runs on. */
export interface Store {
  db: Kysely<Database>;
  kind: StoreConfig['kind'];
  close(): Promise<void>;
}

/** The store config from the environment: DATABASE_URL when set, else PGlite under `dataDir`. */
export function storeConfigFromEnv(env: NodeJS.ProcessEnv, dataDir: string): StoreConfig {
  return env.DATABASE_URL ? { kind: 'postgres', url: env.DATABASE_URL } : { kind: 'pglite', dataDir };
}

/** Opens the database and runs the migrations, so every caller sees the latest schema. */
export async function openDatabase(config: StoreConfig): Promise<Store> {
  let db: Kysely<Database>;
  if (config.kind === 'postgres') {
    const pool = new pg.Pool({
      connectionString: config.url,
      max: config.poolSize ?? 10,
      // A 2xx must mean durable: never let a session turn synchronous_commit off.
      options: '-c synchronous_commit=on',
    });
    // An idle pooled connection cut by the server (restart, failover, admin) emits 'error' on the pool;
    // unhandled, that would crash the process. The pool drops that client and opens a new one on demand.
    pool.on('error', () => {});
    // A connection cut while checked out (mid-query or between the statements of a transaction) emits
    // 'error' on its client, which has no listener of the pool's then: the query in progress rejects on its
    // own, and the pool discards the client when it is released.
    pool.on('connect', (client) => client.on('error', () => {}));
    db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  } else {
    await mkdir(config.dataDir, { recursive: true });
    const pglite = await PGlite.create({ dataDir: config.dataDir, relaxedDurability: false });
    db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
  }
  await migrateToLatest(db as Kysely<unknown>);
  return { db, kind: config.kind, close: () => db.destroy() };
}
