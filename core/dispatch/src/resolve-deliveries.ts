import type { Database } from '@poshub/store';
import type { DispatchMessage } from '@poshub/transports';
import { type Kysely, sql } from 'kysely';
import { type AttemptRecord, lockLanes, type Resolution, releaseAfter } from './delivery-ledger.ts';

/** One delivery's outcome to record. */
export interface ResolveRequest {
  message: Pick<DispatchMessage, 'id' | 'subject'>;
  resolution: Resolution;
  /** The attempt that led there; none when the breaker refused to try. */
  attempt?: AttemptRecord;
}

/**
 * Records how deliveries of one lane ended (their attempts and where each now stands) and, for those now
 * final, releases the events parked behind them: one transaction and a few statements for the batch.
 * Returns, per request, the released events to publish to the lane (the batch's whole list comes back
 * with its first request, the others get none).
 */
export function resolveDeliveries(
  db: Kysely<Database>,
  connectorId: string,
  orderedPerStore: boolean,
  requests: readonly ResolveRequest[],
): Promise<string[][]> {
  return db.transaction().execute(async (trx) => {
    if (requests.length === 0) return [];
    if (orderedPerStore) {
      await lockLanes(
        trx,
        connectorId,
        requests.map((r) => r.message.subject),
      );
    }
    const values = sql.join(requests.map(changeOf));
    await sql`
      update deliveries d
         set status = v.status,
             updated_at = now(),
             attempts = coalesce(v.attempts, d.attempts),
             last_attempt_at = coalesce(v.last_attempt_at, d.last_attempt_at),
             applied_at = case when v.status = 'applied' then now() else d.applied_at end,
             next_attempt_at = case when v.status = 'retrying' then v.next_attempt_at else null end,
             last_error_type = case when v.set_error then v.error_type else d.last_error_type end,
             last_error_message = case when v.set_error then v.error_message else d.last_error_message end
        from (values ${values})
             v(event_id, status, attempts, last_attempt_at, next_attempt_at, set_error, error_type, error_message)
       where d.connector_id = ${connectorId} and d.event_id = v.event_id`.execute(trx);
    const attempts = requests.flatMap((r) =>
      r.attempt
        ? [
            {
              connector_id: connectorId,
              event_id: r.message.id,
              attempt: r.attempt.attempt,
              started_at: r.attempt.startedAt,
              duration_ms: Math.round(r.attempt.durationMs),
              outcome: r.attempt.outcome,
              error_type: r.attempt.errorType ?? null,
              error_message: r.attempt.errorMessage ?? null,
            },
          ]
        : [],
    );
    if (attempts.length > 0) await trx.insertInto('delivery_attempts').values(attempts).execute();
    const finals = requests
      .filter((r) => r.resolution.status !== 'retrying')
      .map((r) => ({ eventId: r.message.id, storeId: r.message.subject }));
    const released = await releaseAfter(trx, connectorId, finals, orderedPerStore);
    return requests.map((_, i) => (i === 0 ? released : []));
  });
}

/** The row of the batch's `values` list for one request. */
function changeOf({ message, resolution, attempt }: ResolveRequest) {
  const error =
    resolution.status === 'dead'
      ? { type: resolution.errorType, message: resolution.errorMessage }
      : attempt?.errorType
        ? { type: attempt.errorType, message: attempt.errorMessage ?? null }
        : undefined;
  const nextAt = resolution.status === 'retrying' ? resolution.nextAttemptAt : null;
  return sql`(${message.id}::text, ${resolution.status}::text, ${attempt?.attempt ?? null}::int,
    ${attempt?.startedAt ?? null}::timestamptz, ${nextAt}::timestamptz, ${error !== undefined}::boolean,
    ${error?.type ?? null}::text, ${error?.message ?? null}::text)`;
}
