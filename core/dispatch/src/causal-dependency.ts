import { type CanonicalEvent, naturalKeyText } from '@poshub/model';
import type { Database } from '@poshub/store';
import { sql, type Transaction } from 'kysely';

interface LinkLike {
  kind?: string;
  key?: { storeId?: string; workstationId?: string; businessDay?: string; sequence?: string };
}

const CAUSAL_LINKS = new Set(['return', 'exchange', 'post_void']);

/**
 * Business keys of the transactions an event depends on: the sale a return, exchange or post-void refers
 * to, at transaction or line level, where the link names the whole key.
 */
export function originalKeysOf(event: CanonicalEvent): string[] {
  const data = event.data as { links?: LinkLike[]; lines?: Array<{ originalLine?: LinkLike }> };
  const links = [
    ...(data.links ?? []),
    ...(data.lines ?? []).flatMap((l) => (l.originalLine ? [l.originalLine] : [])),
  ];
  const keys = new Set<string>();
  for (const link of links) {
    const k = link.key;
    if (!link.kind || !CAUSAL_LINKS.has(link.kind) || !k) continue;
    if (k.storeId && k.workstationId && k.businessDay && k.sequence) {
      keys.add(
        naturalKeyText({
          storeId: k.storeId,
          workstationId: k.workstationId,
          businessDay: k.businessDay,
          sequence: k.sequence,
        }),
      );
    }
  }
  return [...keys];
}

/**
 * The first original of `event` that the connector subscribes to, received since the connector was
 * registered, and not yet final for it: what the event must wait for. Undefined when it need not wait.
 */
export async function pendingOriginal(
  trx: Transaction<Database>,
  connectorId: string,
  types: readonly string[],
  event: CanonicalEvent,
): Promise<string | undefined> {
  const keys = originalKeysOf(event);
  if (keys.length === 0) return undefined;
  const found = await sql<{ id: string }>`
    select e.id from events e
      join connectors c on c.id = ${connectorId}
      left join deliveries d on d.connector_id = ${connectorId} and d.event_id = e.id
     where e.business_key in (${sql.join(keys)})
       and e.type in (${sql.join([...types])})
       and e.id <> ${event.id}
       and not e.training
       and e.received_at >= c.registered_at
       and (d.status is null or d.status not in ('applied', 'dead', 'skipped'))
     limit 1`.execute(trx);
  return found.rows[0]?.id;
}
