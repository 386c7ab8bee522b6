import { createHash } from 'node:crypto';
import type { CanonicalEvent } from '@poshub/model';
import { type Context, Hono } from 'hono';
import { admitEvent, TRANSACTION_TYPES } from './admit-event.ts';
import { requireScope } from './auth.ts';
import type { IngestItem } from './commit-events.ts';
import type { IngestDeps, IngestEnv } from './ingest-context.ts';
import { type IngestOutcome, type ProblemBody, problemBody } from './ingest-outcome.ts';
import { sendProblem } from './problem-response.ts';
import { traceFieldOf } from './trace-context.ts';

const KEY_RE = /^[\x21-\x7e]{1,255}$/;
const JSON_TYPES = /^application\/(json|cloudevents\+json)\b/i;
const NDJSON_TYPES = /^application\/(x-ndjson|jsonl|json-seq)\b/i;

/** sha256 of a request body: the same key with a different body is a 422. */
export function requestHash(body: string): string {
  return createHash('sha256').update(body).digest('hex');
}

/** Sends what the committing transaction decided about one event. */
export function sendOutcome(c: Context, outcome: IngestOutcome): Response {
  const replayed = outcome.kind === 'replayed';
  const body = outcome.body as ProblemBody | Record<string, unknown>;
  const isProblem = typeof body === 'object' && body !== null && 'type' in body && 'title' in body;
  return c.newResponse(JSON.stringify(body), outcome.status as 200, {
    'content-type': isProblem ? 'application/problem+json' : 'application/json',
    ...(replayed ? { 'idempotent-replayed': 'true' } : {}),
  });
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
}

/** POST /v1/transactions, POST /v1/transactions/batch, GET /v1/transactions/:id. */
export function transactionsRoutes(deps: IngestDeps) {
  const app = new Hono<IngestEnv>();

  app.post('/', async (c) => {
    const denied = requireScope(c.var.principal, 'pos:write');
    if (denied) return sendProblem(c, problemBody('forbidden-scope', 'Forbidden', 403, denied.reason));
    if (!JSON_TYPES.test(c.req.header('content-type') ?? '')) {
      return sendProblem(
        c,
        problemBody('unsupported-media-type', 'Unsupported Media Type', 415, 'send application/json'),
      );
    }
    const key = c.req.header('idempotency-key');
    if (!key || !KEY_RE.test(key)) {
      return sendProblem(
        c,
        problemBody(
          'idempotency-key-required',
          'Idempotency-Key required',
          400,
          'send an Idempotency-Key header of 1 to 255 visible ASCII characters',
        ),
      );
    }
    const text = await c.req.text();
    const parsed = parseJson(text);
    if (!parsed.ok)
      return sendProblem(
        c,
        problemBody('malformed-json', 'Malformed JSON', 400, `the body is not JSON: ${parsed.message}`),
      );
    const admitted = admitEvent(parsed.value, c.var.principal, { types: TRANSACTION_TYPES });
    if (!admitted.ok) {
      deps.metrics.outcomes.inc({ outcome: 'refused' });
      return sendProblem(c, admitted.body);
    }
    const outcome = await deps.writer.submit({
      principal: c.var.principal.clientId,
      idempotencyKey: key,
      requestHash: requestHash(text),
      event: admitted.event,
      ...traceFieldOf((name) => c.req.header(name)),
    });
    deps.metrics.outcomes.inc({ outcome: outcome.kind });
    return sendOutcome(c, outcome);
  });

  app.post('/batch', async (c) => {
    const denied = requireScope(c.var.principal, 'pos:write');
    if (denied) return sendProblem(c, problemBody('forbidden-scope', 'Forbidden', 403, denied.reason));
    const type = c.req.header('content-type') ?? '';
    const ndjson = NDJSON_TYPES.test(type);
    if (!ndjson && !JSON_TYPES.test(type)) {
      return sendProblem(
        c,
        problemBody(
          'unsupported-media-type',
          'Unsupported Media Type',
          415,
          'send a JSON array (application/json) or NDJSON (application/x-ndjson)',
        ),
      );
    }
    const text = await c.req.text();
    let raw: Array<{ value?: unknown; error?: string }>;
    if (ndjson) {
      raw = text
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => {
          const p = parseJson(line);
          return p.ok ? { value: p.value } : { error: p.message };
        });
    } else {
      const p = parseJson(text);
      if (!p.ok)
        return sendProblem(
          c,
          problemBody('malformed-json', 'Malformed JSON', 400, `the body is not JSON: ${p.message}`),
        );
      if (!Array.isArray(p.value)) {
        return sendProblem(
          c,
          problemBody(
            'batch-not-array',
            'Not a batch',
            422,
            'a batch is a JSON array of events (or of {idempotencyKey, event})',
          ),
        );
      }
      raw = p.value.map((value) => ({ value }));
    }
    if (raw.length === 0)
      return sendProblem(c, problemBody('batch-empty', 'Empty batch', 422, 'the batch holds no item'));
    if (raw.length > deps.config.maxBatchItems) {
      return sendProblem(
        c,
        problemBody(
          'batch-too-large',
          'Batch too large',
          413,
          `a batch holds at most ${deps.config.maxBatchItems} items; this one has ${raw.length}`,
        ),
      );
    }

    // Each item stands alone: a bad one gets its own problem and the others still commit.
    const results: Array<{ index: number; status: number; body: unknown; replayed?: boolean }> = [];
    const trace = traceFieldOf((name) => c.req.header(name));
    const pending: Array<{ index: number; item: IngestItem }> = [];
    for (const [index, entry] of raw.entries()) {
      if (entry.error !== undefined) {
        results.push({
          index,
          status: 400,
          body: problemBody('malformed-json', 'Malformed JSON', 400, `line ${index + 1}: ${entry.error}`),
        });
        continue;
      }
      const wrapped = entry.value as {
        idempotencyKey?: unknown;
        event?: unknown;
        specversion?: unknown;
      } | null;
      const isWrapped =
        wrapped !== null && typeof wrapped === 'object' && 'event' in wrapped && !('specversion' in wrapped);
      const candidate = isWrapped ? wrapped.event : entry.value;
      const base = isWrapped ? `/${index}/event` : `/${index}`;
      const admitted = admitEvent(candidate, c.var.principal, { base, types: TRANSACTION_TYPES });
      if (!admitted.ok) {
        deps.metrics.outcomes.inc({ outcome: 'refused' });
        results.push({ index, status: admitted.status, body: admitted.body });
        continue;
      }
      const key = isWrapped ? wrapped.idempotencyKey : admitted.event.id;
      if (typeof key !== 'string' || !KEY_RE.test(key)) {
        results.push({
          index,
          status: 400,
          body: problemBody(
            'idempotency-key-required',
            'Idempotency-Key required',
            400,
            `item ${index}: idempotencyKey must be 1 to 255 visible ASCII characters`,
          ),
        });
        continue;
      }
      pending.push({
        index,
        item: {
          principal: c.var.principal.clientId,
          idempotencyKey: key,
          requestHash: requestHash(JSON.stringify(candidate)),
          event: admitted.event,
          ...trace,
        },
      });
    }
    const outcomes = await deps.writer.submitAll(pending.map((p) => p.item));
    for (const [i, outcome] of outcomes.entries()) {
      deps.metrics.outcomes.inc({ outcome: outcome.kind });
      results.push({
        index: pending[i]!.index,
        status: outcome.status,
        body: outcome.body,
        ...(outcome.kind === 'replayed' ? { replayed: true } : {}),
      });
    }
    results.sort((a, b) => a.index - b.index);
    const accepted = results.filter((r) => r.status < 300).length;
    return c.json({ accepted, refused: results.length - accepted, results }, 200);
  });

  app.get('/:id', async (c) => {
    const principal = c.var.principal;
    if (!principal.scopes.has('admin:read') && !principal.scopes.has('pos:write')) {
      return sendProblem(
        c,
        problemBody('forbidden-scope', 'Forbidden', 403, 'this needs the admin:read or pos:write scope'),
      );
    }
    const row = await deps.db
      .selectFrom('events')
      .leftJoin('outbox', 'outbox.event_id', 'events.id')
      .select([
        'events.body',
        'events.store_id',
        'events.training',
        'events.received_at',
        'outbox.published_at',
        'outbox.id as outbox_id',
      ])
      .where('events.id', '=', c.req.param('id'))
      .executeTakeFirst();
    const hidden =
      row && !principal.scopes.has('admin:read') && principal.stores && !principal.stores.has(row.store_id);
    if (!row || hidden)
      return sendProblem(c, problemBody('not-found', 'Not Found', 404, `no event ${c.req.param('id')}`));
    const connectors = await deps.db
      .selectFrom('deliveries')
      .select(['connector_id', 'status', 'attempts', 'last_error_type', 'applied_at', 'updated_at'])
      .where('event_id', '=', c.req.param('id'))
      .orderBy('connector_id')
      .execute();
    const delivery = row.training
      ? { state: 'never_dispatched', reason: 'training mode' }
      : {
          state: row.published_at ? 'published' : 'pending',
          publishedAt: row.published_at ?? null,
          // Per connector, from the delivery ledger: a connector that has not seen the event yet is absent.
          connectors: connectors.map((d) => ({
            connector: d.connector_id,
            status: d.status,
            attempts: d.attempts,
            lastErrorType: d.last_error_type,
            appliedAt: d.applied_at,
            updatedAt: d.updated_at,
          })),
        };
    return c.json({ event: row.body as CanonicalEvent, receivedAt: row.received_at, delivery });
  });

  return app;
}
