import type { CanonicalEvent, Problem } from '@poshub/model';
import { checkEvent } from '@poshub/rules';
import type { Database } from '@poshub/store';
import type { Kysely } from 'kysely';

/** An operator's correction of an event's data for one connector. */
export interface PayloadEdit {
  connector: string;
  eventId: string;
  data: unknown;
  reason: string;
  actor: string;
}

/** The edit was stored, or refused with the problems found (then nothing was stored). */
export type EditOutcome =
  | { ok: true; editId: string }
  | { ok: false; status: 404 | 409 | 422; problems: Problem[] };

/**
 * Stores an edited copy of an event's data for one connector, to be sent on the next replay. The original
 * event is never changed, every edit is kept with who made it and why, and an edit must pass the same
 * checks as an event at ingest (schema, card numbers, totals), so an edit cannot smuggle in bad data.
 */
export async function editPayload(db: Kysely<Database>, edit: PayloadEdit): Promise<EditOutcome> {
  const reason = edit.reason?.trim();
  if (!reason) {
    return {
      ok: false,
      status: 422,
      problems: [{ code: 'reason_required', pointer: '/reason', message: 'say why the payload is edited' }],
    };
  }
  const row = await db
    .selectFrom('deliveries')
    .innerJoin('events', 'events.id', 'deliveries.event_id')
    .select(['deliveries.status', 'events.body'])
    .where('deliveries.connector_id', '=', edit.connector)
    .where('deliveries.event_id', '=', edit.eventId)
    .executeTakeFirst();
  if (!row) {
    return {
      ok: false,
      status: 404,
      problems: [
        {
          code: 'delivery_not_found',
          pointer: '',
          message: `${edit.connector} has no delivery of ${edit.eventId}`,
        },
      ],
    };
  }
  if (row.status === 'applied') {
    return {
      ok: false,
      status: 409,
      problems: [
        {
          code: 'already_applied',
          pointer: '',
          message: 'the event was applied at this connector; edit only what has not been',
        },
      ],
    };
  }
  const candidate = { ...(row.body as CanonicalEvent), data: edit.data };
  const check = checkEvent(candidate);
  if (!check.ok) {
    return { ok: false, status: 422, problems: check.problems };
  }
  return db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('payload_edits')
      .values({
        connector_id: edit.connector,
        event_id: edit.eventId,
        data: JSON.stringify(edit.data),
        reason,
        edited_by: edit.actor,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('dispatch_audit')
      .values({
        actor: edit.actor,
        action: 'edit_payload',
        connector_id: edit.connector,
        detail: JSON.stringify({ eventId: edit.eventId, editId: String(inserted.id), reason }),
      })
      .execute();
    return { ok: true as const, editId: String(inserted.id) };
  });
}
