import type { CanonicalEvent } from '@poshub/model';
import type { Database } from '@poshub/store';
import { type DispatchMessage, dispatchMessageOf } from '@poshub/transports';
import { type Kysely, sql } from 'kysely';

/**
 * The messages to send one connector for stored events, in the order of `eventIds`: the event as poshub
 * committed it, with its trace context, and with the latest operator edit for that connector applied.
 */
export async function messagesForEvents(
  db: Kysely<Database>,
  connectorId: string,
  eventIds: readonly string[],
): Promise<DispatchMessage[]> {
  if (eventIds.length === 0) return [];
  const rows = await sql<{
    id: string;
    body: CanonicalEvent;
    traceparent: string | null;
    tracestate: string | null;
    edited: unknown;
  }>`
    select e.id, e.body, o.traceparent, o.tracestate,
           (select p.data from payload_edits p
             where p.connector_id = ${connectorId} and p.event_id = e.id order by p.id desc limit 1) as edited
      from events e left join outbox o on o.event_id = e.id
     where e.id in (${sql.join([...eventIds])})`.execute(db);
  const byId = new Map(rows.rows.map((r) => [r.id, r]));
  return eventIds.flatMap((id) => {
    const r = byId.get(id);
    if (!r) return [];
    const event = (r.edited == null ? r.body : { ...r.body, data: r.edited }) as CanonicalEvent;
    return [
      dispatchMessageOf(event, {
        traceparent: r.traceparent ?? undefined,
        tracestate: r.tracestate ?? undefined,
      }),
    ];
  });
}
