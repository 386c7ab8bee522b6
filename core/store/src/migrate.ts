import type { Kysely } from 'kysely';
import { type Migration, Migrator } from 'kysely/migration';
import * as initial from './migrations/0001-initial.ts';
import * as transactionIdentity from './migrations/0002-transaction-identity.ts';
import * as dispatch from './migrations/0003-dispatch.ts';
import * as outboxOrder from './migrations/0004-outbox-order.ts';
import * as ledgerFunctions from './migrations/0006-ledger-functions.ts';
import * as imports from './migrations/0007-imports.ts';
import * as reconciliation from './migrations/0008-reconciliation.ts';
import * as causalWaitWakeup from './migrations/0009-causal-wait-wakeup.ts';

/** Every migration, by name, in order. */
export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001-initial': initial,
  '0002-transaction-identity': transactionIdentity,
  '0003-dispatch': dispatch,
  '0004-outbox-order': outboxOrder,
  '0006-ledger-functions': ledgerFunctions,
  '0007-imports': imports,
  '0008-reconciliation': reconciliation,
  '0009-causal-wait-wakeup': causalWaitWakeup,
};

/** Brings the schema to the latest migration; throws with the failing migration's name and cause. */
export async function migrateToLatest(db: Kysely<unknown>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => MIGRATIONS } });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error) {
    throw new Error(`migration ${failed?.migrationName ?? '(unknown)'} failed`, { cause: error });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
