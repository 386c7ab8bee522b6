import type { Database, DeliveryStatus } from '@poshub/store';
import type { DispatchMessage } from '@poshub/transports';
import { type Kysely, sql } from 'kysely';
import type { Admission } from './delivery-ledger.ts';

/** How the ledger treats a lane. */
export interface LaneRules {
  connectorId: string;
  /** The event types the connector subscribes to (which earlier events of a store it must see first). */
  types: readonly string[];
  orderedPerStore: boolean;
  /** An in-flight delivery older than this is taken to be abandoned (its process died). */
  staleAfterMs: number;
  /** How long a return waits for the sale it refers to to reach the connector. */
  causalWaitMs: number;
}

/** One delivery to admit. */
export interface AdmitRequest {
  message: Pick<DispatchMessage, 'id' | 'subject'>;
  /** False when the connector's filter excludes the event. */
  wanted: boolean;
  /** Business keys of the transactions the event refers to (a return's sale): it waits for them. */
  originalKeys: readonly string[];
}

interface AdmitRow {
  o_event_id: string;
  o_kind: 'go' | 'duplicate' | 'busy' | 'unknown' | 'parked:order' | 'parked:causal';
  o_status: DeliveryStatus;
  o_attempt: number | null;
  o_received_at: Date | string | null;
  o_release: string | null;
}

/**
 * Decides what to do with deliveries of one lane that arrived together, recording them: one statement
 * (the ledger function `poshub_admit`, migration 0006) whatever the batch size, since a lane's throughput
 * is bounded by round trips to PostgreSQL, not by the work in them. An event already applied, dead or
 * skipped for the connector is never applied again, whatever the broker redelivers. On an ordered lane an
 * event waits while an earlier one of its store is open, and the store's earlier events the connector
 * never received are fetched first; any event waits (up to `causalWaitMs`) for an original it refers to.
 * Results are in request order; a second request for an event already in the batch is told `busy`.
 */
export async function admitDeliveries(
  db: Kysely<Database>,
  rules: LaneRules,
  requests: readonly AdmitRequest[],
): Promise<Admission[]> {
  const results: Array<Admission | undefined> = requests.map(() => undefined);
  const first = new Map<string, number>();
  requests.forEach((r, i) => {
    if (first.has(r.message.id)) results[i] = { kind: 'busy' };
    else first.set(r.message.id, i);
  });
  const items = [...first.values()].map((i) => {
    const r = requests[i]!;
    return { id: r.message.id, store: r.message.subject, wanted: r.wanted, keys: r.originalKeys };
  });
  const found = await sql<AdmitRow>`
    select * from poshub_admit(${rules.connectorId}, ${sql`array[${sql.join(rules.types.map((t) => sql`${t}`))}]::text[]`},
      ${rules.orderedPerStore}, ${Math.round(rules.staleAfterMs)}::int, ${Math.round(rules.causalWaitMs)}::int,
      ${JSON.stringify(items)}::jsonb)`.execute(db);
  for (const row of found.rows) {
    const i = first.get(row.o_event_id);
    if (i !== undefined) results[i] = admissionOf(row);
  }
  return results.map((r) => r ?? { kind: 'busy' });
}

function admissionOf(row: AdmitRow): Admission {
  switch (row.o_kind) {
    case 'go':
      return {
        kind: 'go',
        attempt: row.o_attempt ?? 1,
        receivedAt: new Date(row.o_received_at ?? Date.now()),
      };
    case 'duplicate':
      return { kind: 'duplicate', status: row.o_status };
    case 'parked:order':
      return { kind: 'parked', why: 'order', ...(row.o_release ? { release: [row.o_release] } : {}) };
    case 'parked:causal':
      return { kind: 'parked', why: 'causal' };
    case 'unknown':
      return { kind: 'unknown' };
    default:
      return { kind: 'busy' };
  }
}
