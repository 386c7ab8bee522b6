import { type CommittedEvent, type ReconcileRun, reconcileCommitted } from '@poshub/batch';
import { GroupCommit } from '@poshub/store';
import type { IngestItem } from './commit-events.ts';
import type { IngestDeps } from './ingest-context.ts';
import type { IngestOutcome } from './ingest-outcome.ts';
import { reconciliationAlerts } from './reconciliation-alerts.ts';

/**
 * The ingest writer with a step after each commit: every route that stores events goes through the writer,
 * so this is the one place that sees what was stored. It hands the stored events (and closes sent again)
 * to `after` once their transaction has committed and before the caller answers, so a till that gets its
 * close's 2xx can read the reconciliation. `after` must not throw: the events are committed either way.
 */
export class ReconcilingWriter extends GroupCommit<IngestItem, IngestOutcome> {
  readonly #inner: GroupCommit<IngestItem, IngestOutcome>;
  readonly #after: (committed: CommittedEvent[]) => Promise<void>;

  constructor(
    inner: GroupCommit<IngestItem, IngestOutcome>,
    after: (committed: CommittedEvent[]) => Promise<void>,
  ) {
    // Never used: every item goes to the inner writer, which keeps its own batching.
    super((items) => inner.submitAll(items));
    this.#inner = inner;
    this.#after = after;
  }

  override async submit(item: IngestItem): Promise<IngestOutcome> {
    const outcome = await this.#inner.submit(item);
    await this.#follow([item], [outcome]);
    return outcome;
  }

  override async submitAll(items: IngestItem[]): Promise<IngestOutcome[]> {
    const outcomes = await this.#inner.submitAll(items);
    await this.#follow(items, outcomes);
    return outcomes;
  }

  override get stats() {
    return this.#inner.stats;
  }

  async #follow(items: IngestItem[], outcomes: IngestOutcome[]): Promise<void> {
    const committed: CommittedEvent[] = [];
    for (const [i, outcome] of outcomes.entries()) {
      const stored = outcome.kind === 'created';
      const resent = outcome.kind === 'duplicate' || (outcome.kind === 'replayed' && outcome.status < 300);
      if (stored || resent) committed.push({ event: items[i]!.event, stored });
    }
    if (committed.length > 0) await this.#after(committed);
  }
}

/**
 * The deps with a writer that reconciles business-day closes after each commit (and alerts on mismatches).
 * The follow-up of requests answered together shares one run (one query finds the closes of every day
 * they touched), so it costs a statement per group of commits, not per request.
 */
export function withReconciliation(deps: IngestDeps): IngestDeps {
  const alert = reconciliationAlerts(deps.metrics, deps.log);
  const follow = new GroupCommit<CommittedEvent, void>(
    async (committed) => {
      let runs: ReconcileRun[];
      try {
        runs = await reconcileCommitted(deps.db, committed);
      } catch (error) {
        deps.log.error({ err: { message: (error as Error).message } }, 'reconciliation failed');
        return committed.map(() => undefined);
      }
      alert(runs);
      return committed.map(() => undefined);
    },
    { maxBatch: 1000, concurrency: 2 },
  );
  const after = async (committed: CommittedEvent[]) => {
    await follow.submitAll(committed);
  };
  return { ...deps, writer: new ReconcilingWriter(deps.writer, after) };
}
