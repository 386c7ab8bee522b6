import type { Database } from '@poshub/store';
import type { DispatchMessage } from '@poshub/transports';
import { type Kysely, sql } from 'kysely';
import type { AttemptRecord, Resolution } from './delivery-ledger.ts';

/** One delivery's outcome to record. */
export interface ResolveRequest {
  message: Pick<DispatchMessage, 'id' | 'subject'>;
  resolution: Resolution;
  /** The attempt that led there; none when the breaker refused to try. */
  attempt?: AttemptRecord;
}

/**
 * Records how deliveries of one lane ended (their attempts and where each now stands) and, for those now
 * final, releases the events parked behind them (causal dependants; on an ordered lane, each store's next
 * parked event): one statement, the ledger function `poshub_resolve` (migration 0006). Returns, per
 * request, the released events to publish to the lane (the batch's whole list comes back with its first
 * request, the others get none).
 */
export async function resolveDeliveries(
  db: Kysely<Database>,
  connectorId: string,
  orderedPerStore: boolean,
  requests: readonly ResolveRequest[],
): Promise<string[][]> {
  if (requests.length === 0) return [];
  const items = requests.map(itemOf);
  const released = await sql<{ poshub_resolve: string }>`
    select poshub_resolve from poshub_resolve(${connectorId}, ${orderedPerStore}, ${JSON.stringify(items)}::jsonb)`.execute(
    db,
  );
  const ids = released.rows.map((r) => r.poshub_resolve);
  return requests.map((_, i) => (i === 0 ? ids : []));
}

/** A request as the ledger function reads it. */
function itemOf({ message, resolution, attempt }: ResolveRequest) {
  const error =
    resolution.status === 'dead'
      ? { type: resolution.errorType, message: resolution.errorMessage }
      : attempt?.errorType
        ? { type: attempt.errorType, message: attempt.errorMessage ?? null }
        : undefined;
  return {
    id: message.id,
    store: message.subject,
    status: resolution.status,
    next_attempt_at: resolution.status === 'retrying' ? resolution.nextAttemptAt.toISOString() : null,
    set_error: error !== undefined,
    error_type: error?.type ?? null,
    error_message: error?.message ?? null,
    ...(attempt
      ? {
          attempt: attempt.attempt,
          started_at: attempt.startedAt.toISOString(),
          duration_ms: Math.round(attempt.durationMs),
          outcome: attempt.outcome,
          attempt_error_type: attempt.errorType ?? null,
          attempt_error_message: attempt.errorMessage ?? null,
        }
      : {}),
  };
}
