import { Hono } from 'hono';
import type { IngestDeps, IngestEnv } from './ingest-context.ts';
import { problemBody } from './ingest-outcome.ts';
import { sendProblem } from './problem-response.ts';

const MAX_GAPS_LISTED = 500;

/** Missing numbers between the lowest and highest numeric sequence seen (a till that was offline shows gaps). */
export function sequenceGaps(sequences: readonly string[]): {
  gaps: string[];
  truncated: boolean;
  nonNumeric: number;
} {
  const numbers = sequences.filter((s) => /^\d{1,15}$/.test(s)).map(Number);
  const nonNumeric = sequences.length - numbers.length;
  if (numbers.length === 0) return { gaps: [], truncated: false, nonNumeric };
  const seen = new Set(numbers);
  const gaps: string[] = [];
  let truncated = false;
  for (let n = Math.min(...numbers) + 1; n < Math.max(...numbers); n++) {
    if (seen.has(n)) continue;
    if (gaps.length === MAX_GAPS_LISTED) {
      truncated = true;
      break;
    }
    gaps.push(String(n));
  }
  return { gaps, truncated, nonNumeric };
}

/** GET /v1/stores/:storeId/business-days/:day: what arrived for that day, per workstation. */
export function reportRoutes(deps: IngestDeps) {
  const app = new Hono<IngestEnv>();

  app.get('/:storeId/business-days/:day', async (c) => {
    const { storeId, day } = c.req.param();
    const principal = c.var.principal;
    const mayRead =
      principal.scopes.has('admin:read') ||
      (principal.scopes.has('pos:write') && (!principal.stores || principal.stores.has(storeId)));
    if (!mayRead)
      return sendProblem(
        c,
        problemBody('forbidden', 'Forbidden', 403, `this client may not read store ${storeId}`),
      );
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) {
      return sendProblem(
        c,
        problemBody('invalid-day', 'Invalid business day', 400, 'the business day is written YYYY-MM-DD'),
      );
    }
    const rows = await deps.db
      .selectFrom('events')
      .select(['workstation_id', 'sequence', 'type', 'training', 'body'])
      .where('store_id', '=', storeId)
      .where('business_day', '=', day)
      .execute();
    type Tally = {
      sequences: string[];
      count: number;
      training: number;
      byType: Record<string, number>;
      totals: Map<string, bigint>;
    };
    const byWorkstation = new Map<string, Tally>();
    for (const row of rows) {
      const ws = row.workstation_id ?? '';
      const entry: Tally = byWorkstation.get(ws) ?? {
        sequences: [],
        count: 0,
        training: 0,
        byType: {},
        totals: new Map(),
      };
      byWorkstation.set(ws, entry);
      entry.count++;
      if (row.sequence) entry.sequences.push(row.sequence);
      entry.byType[row.type] = (entry.byType[row.type] ?? 0) + 1;
      if (row.training) {
        entry.training++;
        continue;
      }
      const total = (row.body as { data?: { total?: { minor: number; currency: string } } }).data?.total;
      if (total)
        entry.totals.set(total.currency, (entry.totals.get(total.currency) ?? 0n) + BigInt(total.minor));
    }
    const workstations = [...byWorkstation.entries()]
      .sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))
      .map(([workstationId, e]) => {
        const gaps = sequenceGaps(e.sequences);
        const numeric = e.sequences.filter((s) => /^\d{1,15}$/.test(s)).map(Number);
        return {
          workstationId,
          transactions: e.count,
          training: e.training,
          byType: e.byType,
          totals: [...e.totals].map(([currency, minor]) => ({ currency, minor: Number(minor) })),
          firstSequence: numeric.length ? String(Math.min(...numeric)) : null,
          lastSequence: numeric.length ? String(Math.max(...numeric)) : null,
          gaps: gaps.gaps,
          gapsTruncated: gaps.truncated,
        };
      });
    return c.json({ storeId, businessDay: day, workstations });
  });

  return app;
}
