import type { Database } from '@poshub/store';
import { type Kysely, sql } from 'kysely';
import type { ExportPosition } from './export-cursor.ts';
import { RETAIL_EVENT_TYPES } from './retail-event-types.ts';

/** One page of a sales journal export. */
export interface JournalPage {
  /** Events on this page. */
  count: number;
  /** Where the next page starts; undefined when this page ends the snapshot. */
  next: ExportPosition | undefined;
  /** The page's events as NDJSON, a slice of lines at a time. */
  lines: AsyncIterable<string>;
}

/** The from-and-where of journal rows after `after` up to `upTo`, at most `limit`, in outbox id order. */
function journalRows(position: ExportPosition, after: string, upTo: string, limit: number) {
  return sql`
      from outbox o join events e on e.id = o.event_id
     where o.store_id = ${position.storeId}
       and o.id > ${after}::bigint and o.id <= ${upTo}::bigint
       and o.type in (${sql.join(RETAIL_EVENT_TYPES)})
       and e.business_day = ${position.businessDay}
     order by o.id
     limit ${limit}`;
}

/**
 * The next page of a store's day: the journal's retail transactions (sales, returns, exchanges, voids,
 * post-voids; training never, as it is never dispatched) in the order the hub received them (outbox id),
 * each line the canonical event as stored. The page's ids are read first, so its successor is known before
 * its first byte goes out; the bodies then follow `slice` at a time, so memory does not grow with the page.
 */
export async function salesJournalPage(
  db: Kysely<Database>,
  position: ExportPosition,
  limit: number,
  slice = 200,
): Promise<JournalPage> {
  const ids = await sql<{ id: string }>`select o.id::text as id ${journalRows(
    position,
    position.after,
    position.bound,
    limit + 1,
  )}`.execute(db);
  const more = ids.rows.length > limit;
  const page = more ? ids.rows.slice(0, limit) : ids.rows;
  const last = page.at(-1)?.id;
  const next = more && last ? { ...position, after: last, sent: position.sent + page.length } : undefined;
  async function* lines(): AsyncGenerator<string> {
    if (!last) return;
    let after = position.after;
    for (;;) {
      const rows = await sql<{
        id: string;
        body: string;
      }>`select o.id::text as id, e.body::text as body ${journalRows(position, after, last, slice)}`.execute(
        db,
      );
      if (rows.rows.length === 0) return;
      yield rows.rows.map((r) => `${r.body}\n`).join('');
      after = rows.rows.at(-1)!.id;
      if (after === last) return;
    }
  }
  return { count: page.length, next, lines: lines() };
}
