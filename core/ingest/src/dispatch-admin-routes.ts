import {
  editPayload,
  inspectDelivery,
  listDeliveries,
  type ReplayPlan,
  replayDeliveries,
  resyncEntity,
} from '@poshub/dispatch';
import type { Problem } from '@poshub/model';
import { problemsFromZod } from '@poshub/model';
import type { DeliveryStatus } from '@poshub/store';
import { type Context, Hono } from 'hono';
import { sql } from 'kysely';
import { z } from 'zod';
import { requireScope } from './auth.ts';
import type { IngestDeps, IngestEnv } from './ingest-context.ts';
import { problemBody } from './ingest-outcome.ts';
import { sendProblem } from './problem-response.ts';

const STATUSES = ['pending', 'waiting', 'released', 'retrying', 'applied', 'dead', 'skipped'] as const;

const ListQuery = z
  .object({
    connector: z.string().min(1).optional(),
    status: z
      .string()
      .transform((s) => s.split(','))
      .pipe(z.array(z.enum(STATUSES)).min(1))
      .optional(),
    store: z.string().min(1).optional(),
    type: z.string().min(1).optional(),
    errorType: z.string().min(1).optional(),
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
    limit: z.coerce.number().int().min(1).max(1000).optional(),
    after: z.string().regex(/^\d+$/).optional(),
  })
  .strict();

const DeliveryFilterBody = z
  .object({
    status: z.array(z.enum(STATUSES)).min(1).optional(),
    store: z.string().min(1).optional(),
    type: z.string().min(1).optional(),
    errorType: z.string().min(1).optional(),
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();

const ReplayBody = z
  .object({
    connector: z.string().min(1),
    eventIds: z.array(z.string().min(1)).min(1).max(10_000).optional(),
    filter: DeliveryFilterBody.optional(),
    since: z.iso.datetime({ offset: true }).optional(),
    dryRun: z.boolean().default(true),
    limit: z.number().int().min(1).max(10_000).optional(),
  })
  .strict()
  .refine((b) => [b.eventIds, b.filter, b.since].filter((x) => x !== undefined).length <= 1, {
    message: 'give at most one of eventIds, filter and since (none replays the dead letters)',
  });

const ResyncBody = z
  .object({
    connector: z.string().min(1),
    entity: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('transaction'), id: z.string().min(1) }).strict(),
      z.object({ kind: z.literal('sku'), id: z.string().min(1) }).strict(),
      z.object({ kind: z.literal('customer'), id: z.string().min(1) }).strict(),
    ]),
    since: z.iso.datetime({ offset: true }).optional(),
    dryRun: z.boolean().default(true),
  })
  .strict();

const EditBody = z.object({ data: z.unknown(), reason: z.string().min(1).max(500) }).strict();

const date = (s: string | undefined) => (s ? new Date(s) : undefined);

/**
 * The dispatch admin API (scope admin:read to look, admin:write to change): connectors and their ledger
 * counts, the DLQ (list, inspect, edit), replays and re-syncs, each with a dry run. Replays and re-syncs
 * default to `dryRun: true`, so sending for real is always a deliberate choice.
 */
export function dispatchAdminRoutes(deps: IngestDeps) {
  const app = new Hono<IngestEnv>();
  const dispatch = deps.dispatch;

  const deny = (c: Context<IngestEnv>, scope: 'admin:read' | 'admin:write') => {
    const denied = requireScope(c.var.principal, scope);
    return denied
      ? sendProblem(c, problemBody('forbidden-scope', 'Forbidden', 403, denied.reason))
      : undefined;
  };
  const invalid = (c: Context, problems: Problem[]) =>
    sendProblem(
      c,
      problemBody('invalid-request', 'Invalid request', 422, 'the request does not fit this endpoint', {
        problems,
      }),
    );
  const connectorTypes = (id: string) => dispatch?.targets.find((t) => t.id === id)?.types;
  const unknownConnector = (c: Context, id: string) =>
    sendProblem(
      c,
      problemBody(
        'unknown-connector',
        'Unknown connector',
        404,
        `no connector ${JSON.stringify(id)} runs on this hub`,
      ),
    );

  app.get('/connectors', async (c) => {
    const denied = deny(c, 'admin:read');
    if (denied) return denied;
    const counts = await sql<{ connector_id: string; status: DeliveryStatus; n: number }>`
      select connector_id, status, count(*)::int as n from deliveries group by connector_id, status`.execute(
      deps.db,
    );
    const registered = await deps.db.selectFrom('connectors').selectAll().execute();
    return c.json({
      connectors: (dispatch?.targets ?? []).map((t) => ({
        id: t.id,
        types: t.types,
        orderedPerStore: t.orderedPerStore ?? false,
        registeredAt: registered.find((r) => r.id === t.id)?.registered_at ?? null,
        deliveries: Object.fromEntries(
          counts.rows.filter((r) => r.connector_id === t.id).map((r) => [r.status, r.n]),
        ),
      })),
    });
  });

  app.get('/deliveries', async (c) => {
    const denied = deny(c, 'admin:read');
    if (denied) return denied;
    const q = ListQuery.safeParse(c.req.query());
    if (!q.success)
      return invalid(
        c,
        problemsFromZod(q.error).map((p) => ({ ...p, pointer: `?${p.pointer.slice(1)}` })),
      );
    const f = q.data;
    const items = await listDeliveries(
      deps.db,
      {
        ...(f.connector ? { connector: f.connector } : {}),
        ...(f.status ? { status: f.status } : {}),
        ...(f.store ? { store: f.store } : {}),
        ...(f.type ? { type: f.type } : {}),
        ...(f.errorType ? { errorType: f.errorType } : {}),
        ...(f.from ? { from: new Date(f.from) } : {}),
        ...(f.to ? { to: new Date(f.to) } : {}),
      },
      { ...(f.limit ? { limit: f.limit } : {}), ...(f.after ? { after: f.after } : {}) },
    );
    return c.json({
      items,
      next: items.length > 0 && items.length === (f.limit ?? 100) ? items.at(-1)!.cursor : null,
    });
  });

  app.get('/deliveries/:connector/:eventId', async (c) => {
    const denied = deny(c, 'admin:read');
    if (denied) return denied;
    const { connector, eventId } = c.req.param();
    const detail = await inspectDelivery(deps.db, connector, eventId);
    if (!detail)
      return sendProblem(
        c,
        problemBody('not-found', 'Not Found', 404, `${connector} has no delivery of ${eventId}`),
      );
    return c.json(detail);
  });

  app.put('/deliveries/:connector/:eventId/payload', async (c) => {
    const denied = deny(c, 'admin:write');
    if (denied) return denied;
    const body = EditBody.safeParse(await c.req.json().catch(() => undefined));
    if (!body.success) return invalid(c, problemsFromZod(body.error));
    const { connector, eventId } = c.req.param();
    const outcome = await editPayload(deps.db, {
      connector,
      eventId,
      data: body.data.data,
      reason: body.data.reason,
      actor: c.var.principal.clientId,
    });
    if (!outcome.ok) {
      return sendProblem(
        c,
        problemBody('edit-refused', 'Edit refused', outcome.status, 'the edit was not stored', {
          problems: outcome.problems,
        }),
      );
    }
    deps.log.info(
      { connector, eventId, editId: outcome.editId, actor: c.var.principal.clientId },
      'payload edited',
    );
    return c.json({ editId: outcome.editId }, 201);
  });

  app.post('/replays', async (c) => {
    const denied = deny(c, 'admin:write');
    if (denied) return denied;
    const body = ReplayBody.safeParse(await c.req.json().catch(() => undefined));
    if (!body.success) return invalid(c, problemsFromZod(body.error));
    const r = body.data;
    const types = connectorTypes(r.connector);
    if (!dispatch || !types) return unknownConnector(c, r.connector);
    const plan = await replayDeliveries(
      deps.db,
      dispatch.transport,
      {
        connector: r.connector,
        dryRun: r.dryRun,
        actor: c.var.principal.clientId,
        ...(r.eventIds ? { eventIds: r.eventIds } : {}),
        ...(r.since ? { since: new Date(r.since) } : {}),
        ...(r.limit ? { limit: r.limit } : {}),
        ...(r.filter
          ? {
              filter: {
                ...(r.filter.status ? { status: r.filter.status } : {}),
                ...(r.filter.store ? { store: r.filter.store } : {}),
                ...(r.filter.type ? { type: r.filter.type } : {}),
                ...(r.filter.errorType ? { errorType: r.filter.errorType } : {}),
                ...(r.filter.from ? { from: date(r.filter.from)! } : {}),
                ...(r.filter.to ? { to: date(r.filter.to)! } : {}),
              },
            }
          : {}),
      },
      types,
    );
    return planResponse(c, plan, deps);
  });

  app.post('/resyncs', async (c) => {
    const denied = deny(c, 'admin:write');
    if (denied) return denied;
    const body = ResyncBody.safeParse(await c.req.json().catch(() => undefined));
    if (!body.success) return invalid(c, problemsFromZod(body.error));
    const r = body.data;
    const types = connectorTypes(r.connector);
    if (!dispatch || !types) return unknownConnector(c, r.connector);
    const plan = await resyncEntity(
      deps.db,
      dispatch.transport,
      {
        connector: r.connector,
        entity: r.entity,
        dryRun: r.dryRun,
        actor: c.var.principal.clientId,
        ...(r.since ? { since: new Date(r.since) } : {}),
      },
      types,
    );
    return planResponse(c, plan, deps);
  });

  return app;
}

function planResponse(c: Context<IngestEnv>, plan: ReplayPlan, deps: IngestDeps) {
  if (!plan.dryRun) {
    deps.log.info(
      { connector: plan.connector, count: plan.count, actor: c.var.principal.clientId },
      'replayed',
    );
  }
  return c.json(plan, plan.dryRun ? 200 : 202);
}
