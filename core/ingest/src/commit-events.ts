import type { CanonicalEvent } from '@poshub/model';
import { isDispatchable } from '@poshub/rules';
import type { Database } from '@poshub/store';
import { type Kysely, sql, type Transaction } from 'kysely';
import { businessKeyOf, contentHashOf, storeIdOf } from './business-key.ts';
import { type AcceptedBody, type IngestOutcome, problemBody } from './ingest-outcome.ts';

/** One event to commit, with the Idempotency-Key it came under. */
export interface IngestItem {
  principal: string;
  idempotencyKey: string;
  requestHash: string;
  event: CanonicalEvent;
  /** W3C trace context of the request, carried with the event to every connector. */
  trace?: { traceparent?: string; tracestate?: string };
}

/** How long idempotency keys are kept: at least 7 days, since offline tills upload up to 72 hours late. */
export const KEY_RETENTION_MS = 7 * 24 * 3600 * 1000;

const keyOf = (principal: string, key: string) => `${principal}\u0000${key}`;

/**
 * Commits a batch of events in one PostgreSQL transaction: idempotency records, the events, their outbox rows
 * and business-key conflicts. Returns one outcome per item, in order. Everything an outcome says is true once
 * this resolves, since it resolves only after COMMIT.
 */
export function commitEvents(
  db: Kysely<Database>,
  items: IngestItem[],
  retentionMs = KEY_RETENTION_MS,
): Promise<IngestOutcome[]> {
  return db.transaction().execute((trx) => commitInTransaction(trx, items, retentionMs));
}

async function commitInTransaction(
  trx: Transaction<Database>,
  items: IngestItem[],
  retentionMs: number,
): Promise<IngestOutcome[]> {
  const outcomes: Array<IngestOutcome | undefined> = new Array(items.length);
  const expiresAt = new Date(Date.now() + retentionMs);

  // 1. Claim each Idempotency-Key. A key already claimed (earlier, or by an item earlier in this batch) is
  //    not ours: it is a replay, a reuse with another body, or still in flight.
  const claimed = await trx
    .insertInto('idempotency_keys')
    .values(
      items.map((it) => ({
        principal: it.principal,
        key: it.idempotencyKey,
        request_hash: it.requestHash,
        state: 'in_flight' as const,
        response_status: null,
        response_body: null,
        expires_at: expiresAt,
      })),
    )
    .onConflict((oc) => oc.columns(['principal', 'key']).doNothing())
    .returning(['principal', 'key'])
    .execute();
  const claimedKeys = new Set(claimed.map((r) => keyOf(r.principal, r.key)));
  const owners = new Map<string, number>();
  const notOurs: number[] = [];
  items.forEach((it, i) => {
    const k = keyOf(it.principal, it.idempotencyKey);
    if (claimedKeys.has(k) && !owners.has(k)) owners.set(k, i);
    else notOurs.push(i);
  });

  if (notOurs.length > 0) {
    const existing = await trx
      .selectFrom('idempotency_keys')
      .selectAll()
      .where((eb) =>
        eb.or(
          notOurs.map((i) =>
            eb.and([eb('principal', '=', items[i]!.principal), eb('key', '=', items[i]!.idempotencyKey)]),
          ),
        ),
      )
      .execute();
    const byKey = new Map(existing.map((r) => [keyOf(r.principal, r.key), r]));
    for (const i of notOurs) {
      const it = items[i]!;
      const row = byKey.get(keyOf(it.principal, it.idempotencyKey))!;
      if (row.request_hash !== it.requestHash) {
        outcomes[i] = {
          kind: 'key_reused',
          status: 422,
          body: problemBody(
            'idempotency-key-reused',
            'Idempotency-Key reused',
            422,
            `the Idempotency-Key "${it.idempotencyKey}" was first used with a different request body`,
          ),
        };
      } else if (row.state === 'in_flight') {
        outcomes[i] = {
          kind: 'in_flight',
          status: 409,
          body: problemBody(
            'idempotency-key-in-flight',
            'Request in flight',
            409,
            `a request with Idempotency-Key "${it.idempotencyKey}" is still being processed: retry later`,
          ),
        };
      } else {
        outcomes[i] = { kind: 'replayed', status: row.response_status ?? 200, body: row.response_body };
      }
    }
  }

  // 2. Insert the events of the items whose key we claimed. A business key (or event id) already present
  //    is a resend: same content replays as a duplicate, different content is a conflict kept for review.
  const mine = [...owners.values()];
  const prepared = mine.map((i) => {
    const event = items[i]!.event;
    const key = (event.data as { key?: { workstationId: string; businessDay: string; sequence: string } })
      .key;
    return {
      i,
      event,
      key,
      businessKey: businessKeyOf(event),
      hash: contentHashOf(event),
      dispatch: isDispatchable(event),
    };
  });
  const insertedIds = new Set<string>();
  if (prepared.length > 0) {
    const rows = await trx
      .insertInto('events')
      .values(
        prepared.map((p) => ({
          id: p.event.id,
          type: p.event.type,
          store_id: storeIdOf(p.event),
          business_key: p.businessKey,
          workstation_id: p.key?.workstationId ?? null,
          business_day: p.key?.businessDay ?? null,
          sequence: p.key?.sequence ?? null,
          content_hash: p.hash,
          body: JSON.stringify(p.event),
          training: !p.dispatch,
        })),
      )
      .onConflict((oc) => oc.doNothing())
      .returning('id')
      .execute();
    for (const r of rows) insertedIds.add(r.id);
  }
  const created = new Set<number>();
  const seen = new Set<string>();
  for (const p of prepared) {
    if (insertedIds.has(p.event.id) && !seen.has(p.event.id)) {
      seen.add(p.event.id);
      created.add(p.i);
    }
  }
  const resent = prepared.filter((p) => !created.has(p.i));
  if (resent.length > 0) {
    const keys = resent.map((p) => p.businessKey).filter((k): k is string => k !== null);
    const ids = resent.map((p) => p.event.id);
    const existing = await trx
      .selectFrom('events')
      .select(['id', 'type', 'business_key', 'content_hash', 'training'])
      .where((eb) =>
        keys.length > 0 ? eb.or([eb('business_key', 'in', keys), eb('id', 'in', ids)]) : eb('id', 'in', ids),
      )
      .execute();
    const conflicts: Array<{
      business_key: string;
      existing_event_id: string;
      body: string;
      content_hash: string;
    }> = [];
    for (const p of resent) {
      const match = existing.find(
        (e) => (p.businessKey !== null && e.business_key === p.businessKey) || e.id === p.event.id,
      )!;
      if (match.content_hash === p.hash && match.id === p.event.id) {
        outcomes[p.i] = {
          kind: 'duplicate',
          status: 200,
          body: accepted(p.event, p.businessKey, 'duplicate', !match.training),
        };
      } else {
        const identity = p.businessKey ?? p.event.id;
        conflicts.push({
          business_key: identity,
          existing_event_id: match.id,
          body: JSON.stringify(p.event),
          content_hash: p.hash,
        });
        outcomes[p.i] = {
          kind: 'conflict',
          status: 409,
          body: problemBody(
            'business-key-conflict',
            'Conflicting resend',
            409,
            `${p.businessKey ? `transaction ${p.businessKey.replaceAll('|', ' / ')}` : `event ${p.event.id}`} was already received with different content; the new version is recorded for review and not applied`,
            { existingEventId: match.id, businessKey: p.businessKey },
          ),
        };
      }
    }
    if (conflicts.length > 0) await trx.insertInto('business_key_conflicts').values(conflicts).execute();
  }

  // 3. Outbox rows for what was created and may be dispatched (training never is).
  const toPublish = prepared.filter((p) => created.has(p.i) && p.dispatch);
  if (toPublish.length > 0) {
    await trx
      .insertInto('outbox')
      .values(
        toPublish.map((p) => ({
          event_id: p.event.id,
          store_id: storeIdOf(p.event),
          type: p.event.type,
          published_at: null,
          traceparent: items[p.i]!.trace?.traceparent ?? null,
          tracestate: items[p.i]!.trace?.tracestate ?? null,
        })),
      )
      .execute();
  }
  for (const p of prepared) {
    if (created.has(p.i))
      outcomes[p.i] = {
        kind: 'created',
        status: 201,
        body: accepted(p.event, p.businessKey, 'accepted', p.dispatch),
      };
  }

  // 4. Record each claimed key's response, so a retry replays it exactly (one statement for the batch).
  if (mine.length > 0) {
    const rows = mine.map((i) => {
      const it = items[i]!;
      const outcome = outcomes[i]!;
      return sql`(${it.principal}, ${it.idempotencyKey}, ${outcome.status}::int, ${JSON.stringify(outcome.body)}::jsonb)`;
    });
    await sql`update idempotency_keys as k
      set state = 'done', response_status = v.status, response_body = v.body
      from (values ${sql.join(rows)}) as v(principal, key, status, body)
      where k.principal = v.principal and k.key = v.key`.execute(trx);
  }
  return outcomes as IngestOutcome[];
}

function accepted(
  event: CanonicalEvent,
  businessKey: string | null,
  status: AcceptedBody['status'],
  dispatched: boolean,
): AcceptedBody {
  return { id: event.id, type: event.type, status, businessKey, dispatched };
}

/** Deletes idempotency keys past their expiry, at most `limit` per call; returns how many went. */
export async function purgeExpiredKeys(
  db: Kysely<Database>,
  now = new Date(),
  limit = 10_000,
): Promise<number> {
  const result = await sql`delete from idempotency_keys where ctid in (
      select ctid from idempotency_keys where expires_at < ${now} limit ${limit})`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}
