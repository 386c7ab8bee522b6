import { findReconciliations, type ReconcileRun, reconcileDay } from '@poshub/batch';
import { IsoDate } from '@poshub/model';
import { type Context, Hono } from 'hono';
import { requireScope } from './auth.ts';
import type { IngestDeps, IngestEnv } from './ingest-context.ts';
import { problemBody } from './ingest-outcome.ts';
import { sendProblem } from './problem-response.ts';
import { reconciliationAlerts } from './reconciliation-alerts.ts';

/**
 * GET /v1/stores/:storeId/business-days/:day/reconciliation (admin:read): the latest result of each close
 * received for the day, store-wide first; POST (admin:write) runs them again, as an operator's repair
 * (idempotent: the same inputs give no new version and no event).
 */
export function reconciliationRoutes(deps: IngestDeps) {
  const app = new Hono<IngestEnv>();
  const alert = reconciliationAlerts(deps.metrics, deps.log);

  const checked = (c: Context<IngestEnv>, scope: 'admin:read' | 'admin:write') => {
    const denied = requireScope(c.var.principal, scope);
    if (denied) return sendProblem(c, problemBody('forbidden-scope', 'Forbidden', 403, denied.reason));
    if (!IsoDate.safeParse(c.req.param('day')).success) {
      return sendProblem(
        c,
        problemBody('invalid-day', 'Invalid business day', 400, 'the business day is written YYYY-MM-DD'),
      );
    }
    return undefined;
  };

  const view = async (c: Context<IngestEnv>) => {
    const storeId = c.req.param('storeId') ?? '';
    const day = c.req.param('day') ?? '';
    const results = await findReconciliations(deps.db, storeId, day);
    if (results.length === 0) {
      return sendProblem(
        c,
        problemBody(
          'no-reconciliation',
          'Not Found',
          404,
          `no business-day close received for store ${storeId} on ${day}`,
        ),
      );
    }
    const status = results.some((r) => r.status === 'mismatched') ? 'mismatched' : 'matched';
    return c.json({ storeId, businessDay: day, status, results });
  };

  app.get('/:storeId/business-days/:day/reconciliation', async (c) => checked(c, 'admin:read') ?? view(c));

  app.post('/:storeId/business-days/:day/reconciliation', async (c) => {
    const refused = checked(c, 'admin:write');
    if (refused) return refused;
    const outcomes = await reconcileDay(deps.db, c.req.param('storeId'), c.req.param('day'));
    alert(outcomes as ReconcileRun[]);
    return view(c);
  });

  return app;
}
