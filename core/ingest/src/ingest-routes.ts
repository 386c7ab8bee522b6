import type { Problem } from '@poshub/model';
import { FORMATS, type FormatName, inputFromText, normalizeDocument } from '@poshub/normalizers';
import { Hono } from 'hono';
import { authorizeEvent } from './admit-event.ts';
import { requireScope } from './auth.ts';
import { contentHashOf } from './business-key.ts';
import type { IngestItem } from './commit-events.ts';
import type { IngestDeps, IngestEnv } from './ingest-context.ts';
import { problemBody } from './ingest-outcome.ts';
import { invalidDocument, sendProblem } from './problem-response.ts';
import { traceFieldOf } from './trace-context.ts';
import { verifyShopifySignature, verifySquareSignature } from './webhook-signature.ts';

/** POST /v1/ingest/:format: a vendor document (or canonical events), normalised, checked and committed. */
export function ingestRoutes(deps: IngestDeps) {
  const app = new Hono<IngestEnv>();

  app.post('/:format', async (c) => {
    const denied = requireScope(c.var.principal, 'pos:write');
    if (denied) return sendProblem(c, problemBody('forbidden-scope', 'Forbidden', 403, denied.reason));
    const format = c.req.param('format') as FormatName;
    if (!(FORMATS as readonly string[]).includes(format)) {
      return sendProblem(
        c,
        problemBody('unknown-format', 'Unknown format', 404, `formats: ${FORMATS.join(', ')}`),
      );
    }
    const text = await c.req.text();
    const secrets = deps.config.webhookSecrets;
    if (
      format === 'shopify' &&
      secrets.shopify &&
      !verifyShopifySignature(text, secrets.shopify, c.req.header('x-shopify-hmac-sha256'))
    ) {
      return sendProblem(
        c,
        problemBody(
          'bad-signature',
          'Bad webhook signature',
          401,
          'X-Shopify-Hmac-Sha256 does not match the body',
        ),
      );
    }
    if (
      format === 'square' &&
      secrets.square &&
      !verifySquareSignature(
        text,
        secrets.square.key,
        secrets.square.url,
        c.req.header('x-square-hmacsha256-signature'),
      )
    ) {
      return sendProblem(
        c,
        problemBody(
          'bad-signature',
          'Bad webhook signature',
          401,
          'x-square-hmacsha256-signature does not match the body',
        ),
      );
    }
    const query = c.req.query();
    const headerKey = c.req.header('idempotency-key');
    const refused: Array<{
      unit?: string;
      status: number;
      problems: Problem[] | undefined;
      detail?: string;
    }> = [];
    const trace = traceFieldOf((name) => c.req.header(name));
    const items: IngestItem[] = [];
    let skipped = 0;
    for await (const unit of normalizeDocument(inputFromText(text), {
      format,
      timeZone: query.timeZone,
      currency: query.currency,
      storeId: query.storeId,
    })) {
      if (!unit.ok) {
        if ('skipped' in unit) skipped++;
        else
          refused.push({ ...(unit.unit ? { unit: unit.unit } : {}), status: 422, problems: unit.problems });
        continue;
      }
      // Already checked by the normalisation pipeline: only the principal's rights remain.
      const admitted = authorizeEvent(unit.event, c.var.principal);
      if (!admitted.ok) {
        refused.push({
          status: admitted.status,
          problems: admitted.body.problems as Problem[] | undefined,
          detail: admitted.body.detail,
        });
        continue;
      }
      const version = (admitted.event.data as { source?: { version?: string } }).source?.version;
      // The vendor's own id (inside the event id) is the default key; a resend of the same document replays.
      const key = `${headerKey ?? format}:${admitted.event.id}${version ? `:${version}` : ''}`;
      items.push({
        principal: c.var.principal.clientId,
        idempotencyKey: key.slice(0, 255),
        requestHash: contentHashOf(admitted.event),
        event: admitted.event,
        ...trace,
      });
    }
    if (items.length === 0 && refused.length > 0) {
      deps.metrics.outcomes.inc({ outcome: 'refused' }, refused.length);
      const forbidden = refused.every((r) => r.status === 403);
      if (forbidden)
        return sendProblem(
          c,
          problemBody('forbidden-store', 'Forbidden', 403, refused[0]?.detail ?? 'forbidden'),
        );
      return sendProblem(c, invalidDocument(refused.flatMap((r) => r.problems ?? [])));
    }
    const outcomes = await deps.writer.submitAll(items);
    for (const o of outcomes) deps.metrics.outcomes.inc({ outcome: o.kind });
    return c.json({
      format,
      accepted: outcomes.filter((o) => o.status < 300).length,
      skipped,
      refused: refused.map((r) => ({
        ...(r.unit ? { unit: r.unit } : {}),
        status: r.status,
        problems: r.problems ?? [],
        detail: r.detail,
      })),
      results: outcomes.map((o, i) => ({
        id: items[i]!.event.id,
        type: items[i]!.event.type,
        status: o.status,
        body: o.body,
      })),
    });
  });

  return app;
}
