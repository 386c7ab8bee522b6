import type { ReconcileRun } from '@poshub/batch';
import type { Logger } from 'pino';
import { Counter } from 'prom-client';
import type { IngestMetrics } from './ingest-metrics.ts';

const MISMATCHES = 'poshub_reconciliation_mismatches_total';

/**
 * What reconciliation runs tell ops: a new mismatched result is an alert (the counter, and a warning that
 * names the store, workstation, day and what differs, never a person or an amount's owner); a result that
 * matches after a mismatch is logged; a failed run is an error (its events stay committed, and the next
 * event for the day, the close sent again, or POST .../reconciliation runs it again). Unchanged runs say nothing.
 */
export function reconciliationAlerts(
  metrics: IngestMetrics,
  log: Logger,
): (runs: readonly ReconcileRun[]) => void {
  const mismatches =
    (metrics.registry.getSingleMetric(MISMATCHES) as Counter | undefined) ??
    new Counter({
      name: MISMATCHES,
      help: 'Reconciliation results (new versions) in which a till close and what the hub received differ',
      registers: [metrics.registry],
    });
  return (runs) => {
    for (const run of runs) {
      const where = {
        storeId: run.target.storeId,
        workstationId: run.target.workstationKey || undefined,
        businessDay: run.target.businessDay,
      };
      if (run.kind === 'failed') {
        log.error(
          { ...where, err: { name: run.error.name, message: run.error.message } },
          'reconciliation failed',
        );
        continue;
      }
      if (run.kind !== 'changed') continue;
      const { result } = run;
      if (result.status === 'mismatched') {
        mismatches.inc();
        log.warn(
          {
            ...where,
            version: result.version,
            differences: result.differences.map((d) => d.code),
            missingSequences: result.missing.reduce((n, m) => n + m.sequences.length, 0),
            eventId: run.eventId,
          },
          'business day does not reconcile',
        );
      } else {
        log.info(
          { ...where, version: result.version, eventId: run.eventId, previous: run.previous },
          'business day reconciles',
        );
      }
    }
  };
}
