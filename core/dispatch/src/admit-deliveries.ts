import type { Database, DeliveryStatus } from '@poshub/store';
import type { DispatchMessage } from '@poshub/transports';
import { type Kysely, sql, type Transaction } from 'kysely';
import {
  type Admission,
  backfillEarlier,
  FINAL,
  FINAL_STATUSES,
  lockLanes,
  releaseNextOfStore,
} from './delivery-ledger.ts';

/** How the ledger treats a lane. */
export interface LaneRules {
  connectorId: string;
  /** The event types the connector subscribes to (which earlier events of a store it must see first). */
  types: readonly string[];
  orderedPerStore: boolean;
  /** An in-flight delivery older than this is taken to be abandoned (its process died). */
  staleAfterMs: number;
}

/** One delivery to admit. */
export interface AdmitRequest {
  message: DispatchMessage;
  /** False when the connector's filter excludes the event. */
  wanted: boolean;
  /** The event this one should wait for, and until when; undefined when it need not wait. */
  causalWait?: (trx: Transaction<Database>) => Promise<{ eventId: string; until: Date } | undefined>;
}

interface LedgerRow {
  event_id: string;
  status: DeliveryStatus;
  seq: string;
  attempts: number;
  waiting_on: string | null;
  wait_until: Date | null;
  updated_at: Date;
  received_at: Date;
  blocked: boolean;
}

/** A status change the batch makes: `keep` leaves the causal wait as it is, `set` starts one, `clear` ends it. */
interface Change {
  eventId: string;
  status: DeliveryStatus;
  wait: 'keep' | 'set' | 'clear';
  waitingOn?: string;
  waitUntil?: Date;
}

/**
 * Decides what to do with deliveries of one lane that arrived together, recording them, in one
 * transaction and a handful of statements whatever the batch size (the lane's throughput is bounded by
 * round trips to PostgreSQL, not by the work in them). An event already applied, dead or skipped for the
 * connector is never applied again, whatever the broker redelivers. Results are in request order.
 *
 * Requests of one store never share a batch (the transport runs a store's deliveries one at a time); a
 * second request for an event already in the batch is told `busy`.
 */
export function admitDeliveries(
  db: Kysely<Database>,
  rules: LaneRules,
  requests: readonly AdmitRequest[],
): Promise<Admission[]> {
  return db.transaction().execute(async (trx) => {
    const c = rules.connectorId;
    const results: Array<Admission | undefined> = requests.map(() => undefined);
    const first = new Map<string, number>();
    requests.forEach((r, i) => {
      if (first.has(r.message.id)) results[i] = { kind: 'busy' };
      else first.set(r.message.id, i);
    });
    const batch = [...first.values()].map((i) => requests[i]!);
    const ids = batch.map((r) => r.message.id);

    const backfilled = new Set<string>();
    if (rules.orderedPerStore) {
      await lockLanes(
        trx,
        c,
        batch.map((r) => r.message.subject),
      );
      for (const id of await needingBackfill(trx, rules, ids)) {
        const { message } = batch.find((r) => r.message.id === id)!;
        if ((await backfillEarlier(trx, rules, message)) > 0) backfilled.add(id);
      }
    }

    const values = sql.join(
      batch.map((r, i) => sql`(${r.message.id}::text, ${r.message.subject}::text, ${i}::int)`),
    );
    await sql`
      insert into deliveries (connector_id, event_id, store_id, type, status)
      select ${c}, e.id, v.store_id, e.type, 'pending'
        from (values ${values}) v(event_id, store_id, ord) join events e on e.id = v.event_id
       order by v.ord
      on conflict (connector_id, event_id) do nothing`.execute(trx);
    const blocked = rules.orderedPerStore
      ? sql`exists (select 1 from deliveries x
                     where x.connector_id = d.connector_id and x.store_id = d.store_id
                       and x.seq < d.seq and x.status not in (${FINAL}))`
      : sql`false`;
    const found = await sql<LedgerRow>`
      select d.event_id, d.status, d.seq, d.attempts, d.waiting_on, d.wait_until, d.updated_at,
             e.received_at, ${blocked} as blocked
        from deliveries d join events e on e.id = d.event_id
       where d.connector_id = ${c} and d.event_id in (${sql.join(ids)})
       order by d.event_id
         for update of d`.execute(trx);
    const rows = new Map(found.rows.map((row) => [row.event_id, row]));

    const changes: Change[] = [];
    const now = Date.now();
    for (const r of batch) {
      const i = first.get(r.message.id)!;
      const row = rows.get(r.message.id);
      results[i] = await decide(trx, rules, r, row, backfilled.has(r.message.id), now, changes);
    }
    await applyChanges(trx, c, changes);
    return results as Admission[];
  });
}

async function decide(
  trx: Transaction<Database>,
  rules: LaneRules,
  request: AdmitRequest,
  row: LedgerRow | undefined,
  backfilled: boolean,
  now: number,
  changes: Change[],
): Promise<Admission> {
  if (!row) return { kind: 'unknown' };
  if (FINAL_STATUSES.includes(row.status)) return { kind: 'duplicate', status: row.status };
  const fresh = now - new Date(row.updated_at).getTime() < rules.staleAfterMs;
  if (row.status === 'pending' && row.attempts > 0 && fresh) return { kind: 'busy' };
  const eventId = row.event_id;

  if (!request.wanted) {
    changes.push({ eventId, status: 'skipped', wait: 'keep' });
    return { kind: 'duplicate', status: 'skipped' };
  }
  if (rules.orderedPerStore && row.status !== 'released' && row.blocked) {
    changes.push({ eventId, status: 'waiting', wait: 'keep' });
    const next = backfilled
      ? await releaseNextOfStore(trx, rules.connectorId, request.message.subject)
      : undefined;
    return { kind: 'parked', why: 'order', ...(next ? { release: [next] } : {}) };
  }
  // A causal wait is checked until it is over: either it never started, or it started and has time left.
  // After a timeout the sweeper clears waiting_on and keeps the past wait_until, so it is not waited again.
  const waitLeft =
    row.wait_until === null || (row.waiting_on !== null && new Date(row.wait_until).getTime() > now);
  if (request.causalWait && waitLeft) {
    const wait = await request.causalWait(trx);
    if (wait) {
      changes.push({
        eventId,
        status: 'waiting',
        wait: 'set',
        waitingOn: wait.eventId,
        waitUntil: wait.until,
      });
      return { kind: 'parked', why: 'causal' };
    }
  }
  changes.push({ eventId, status: 'pending', wait: 'clear' });
  return { kind: 'go', attempt: row.attempts + 1, receivedAt: new Date(row.received_at) };
}

/**
 * Events of the batch that arrive at this connector for the first time and whose store's previous event
 * (the connector's types, since it registered) the connector has never seen: those need the walk back of
 * {@link backfillEarlier}. One statement for the batch; the usual answer is none.
 */
async function needingBackfill(
  trx: Transaction<Database>,
  rules: LaneRules,
  ids: readonly string[],
): Promise<string[]> {
  if (rules.types.length === 0) return [];
  const c = rules.connectorId;
  const types = sql.join(rules.types.map((t) => sql`${t}`));
  const found = await sql<{ event_id: string }>`
    select m.event_id
      from unnest(array[${sql.join(ids)}]::text[]) m(event_id)
      join lateral (select o.id, o.store_id from outbox o where o.event_id = m.event_id order by o.id limit 1) me
        on true
      join connectors c on c.id = ${c}
      join lateral (
        select o.event_id from outbox o
         where o.store_id = me.store_id and o.id < me.id and o.type in (${types})
           and o.created_at >= c.registered_at
         order by o.id desc limit 1) prev on true
     where not exists (select 1 from deliveries d where d.connector_id = ${c} and d.event_id = m.event_id)
       and not exists (select 1 from deliveries d where d.connector_id = ${c} and d.event_id = prev.event_id)`.execute(
    trx,
  );
  return found.rows.map((r) => r.event_id);
}

async function applyChanges(trx: Transaction<Database>, connectorId: string, changes: Change[]) {
  if (changes.length === 0) return;
  const values = sql.join(
    changes.map(
      (ch) =>
        sql`(${ch.eventId}::text, ${ch.status}::text, ${ch.wait}::text, ${ch.waitingOn ?? null}::text, ${ch.waitUntil ?? null}::timestamptz)`,
    ),
  );
  await sql`
    update deliveries d
       set status = v.status, updated_at = now(),
           waiting_on = case v.wait when 'keep' then d.waiting_on when 'set' then v.waiting_on else null end,
           wait_until = case v.wait when 'set' then v.wait_until else d.wait_until end
      from (values ${values}) v(event_id, status, wait, waiting_on, wait_until)
     where d.connector_id = ${connectorId} and d.event_id = v.event_id`.execute(trx);
}
