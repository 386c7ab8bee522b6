import type { RetailTransaction } from '@poshub/model';
import type { Database } from '@poshub/store';
import { type Kysely, sql } from 'kysely';
import type { DayReceipts } from './compare-close.ts';
import { RETAIL_EVENT_TYPES } from './retail-event-types.ts';
import { postVoidedKeys, SalesTally } from './sales-tally.ts';

/**
 * Everything the hub holds for a store's business day (one workstation's, when given), added up for a
 * close: retail transactions tallied (training left out), control and training counted, every sequence
 * number kept per workstation. Read a page at a time in id order, so memory does not grow with the day.
 */
export async function readDayReceipts(
  db: Kysely<Database>,
  where: { storeId: string; businessDay: string; workstationId?: string | undefined },
  pageSize = 500,
): Promise<DayReceipts> {
  const base = () =>
    db
      .selectFrom('events')
      .where('store_id', '=', where.storeId)
      .where('business_day', '=', where.businessDay);
  const scope = (q: ReturnType<typeof base>) =>
    where.workstationId === undefined ? q : q.where('workstation_id', '=', where.workstationId);

  // A post-void on any workstation of the day may undo a sale: those sales are not takings.
  const voided = new Set<string>();
  const postVoids = await base()
    .select(sql<RetailTransaction>`body->'data'`.as('data'))
    .where('type', '=', 'transaction.post_voided.v1')
    .where('training', '=', false)
    .execute();
  for (const row of postVoids) for (const key of postVoidedKeys(row.data)) voided.add(key);

  const receipts: DayReceipts = { tally: new SalesTally(), control: 0, training: 0, sequences: new Map() };
  let after = '';
  for (;;) {
    const rows = await scope(base())
      .select(['id', 'type', 'business_key', 'workstation_id', 'sequence', 'training'])
      .select(sql<unknown>`body->'data'`.as('data'))
      .where('id', '>', after)
      .orderBy('id')
      .limit(pageSize)
      .execute();
    for (const row of rows) {
      const ws = row.workstation_id ?? '';
      if (row.sequence !== null) {
        const list = receipts.sequences.get(ws) ?? [];
        receipts.sequences.set(ws, list);
        list.push(row.sequence);
      }
      if (row.training) receipts.training++;
      else if (row.type === 'control.recorded.v1') receipts.control++;
      else if (RETAIL_EVENT_TYPES.includes(row.type)) {
        receipts.tally.add(row.data as RetailTransaction, {
          postVoided: row.business_key !== null && voided.has(row.business_key),
        });
      }
    }
    if (rows.length < pageSize) return receipts;
    after = rows.at(-1)!.id;
  }
}
