import { randomUUID } from 'node:crypto';
import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { dispatchAdminRoutes } from './dispatch-admin-routes.ts';
import { exportsRoutes } from './exports-routes.ts';
import { importsRoutes } from './imports-routes.ts';
import type { IngestDeps, IngestEnv } from './ingest-context.ts';
import { problemBody } from './ingest-outcome.ts';
import { ingestRoutes } from './ingest-routes.ts';
import { opsRoutes } from './ops-routes.ts';
import { sendProblem } from './problem-response.ts';
import { reconciliationRoutes } from './reconciliation-routes.ts';
import { withReconciliation } from './reconciling-writer.ts';
import { reportRoutes } from './report-routes.ts';
import { transactionsRoutes } from './transactions-routes.ts';

/**
 * The ingest API as a Hono app. Every /v1 route: body limit, then bearer token, then per-client rate limit.
 * Errors leave as problem+json; logs carry method, route, status, time and client, never a body.
 */
export function createIngestApp(given: IngestDeps) {
  // Closes are reconciled after the commits that bring them, or a late transaction of their day.
  const deps = withReconciliation(given);
  const app = new Hono<IngestEnv>();

  app.use('*', async (c, next) => {
    const started = performance.now();
    const requestId = c.req.header('x-request-id')?.slice(0, 100) || randomUUID();
    c.set('requestId', requestId);
    await next();
    c.header('x-request-id', requestId);
    const route = c.req.routePath || 'unmatched';
    const seconds = (performance.now() - started) / 1000;
    deps.metrics.requests.inc({ route, method: c.req.method, status: String(c.res.status) });
    deps.metrics.latency.observe({ route, method: c.req.method }, seconds);
    deps.log.info({
      requestId,
      method: c.req.method,
      route,
      status: c.res.status,
      ms: Math.round(seconds * 10000) / 10,
      client: c.get('principal')?.clientId,
    });
  });

  app.onError((error, c) => {
    deps.log.error(
      {
        requestId: c.get('requestId'),
        err: { name: error.name, message: error.message, stack: error.stack },
      },
      'request failed',
    );
    return sendProblem(
      c,
      problemBody(
        'internal',
        'Internal Server Error',
        500,
        `the request failed; nothing was committed unless a 2xx was returned (request ${c.get('requestId')})`,
      ),
    );
  });
  app.notFound((c) =>
    sendProblem(
      c,
      problemBody(
        'not-found',
        'Not Found',
        404,
        `${c.req.method} ${new URL(c.req.url).pathname} does not exist; see /docs`,
      ),
    ),
  );

  // Imports stream files of any size with flat memory: mounted ahead of the body limit, they authenticate themselves.
  app.route('/v1/imports', importsRoutes(deps));

  // Body size: a declared Content-Length is checked without touching the body (reading c.req.raw.body
  // would turn the Node stream into a web stream, which costs more than the rest of the request). Only a
  // chunked body, whose size is unknown up front, goes through Hono's counting bodyLimit.
  const countingLimit = bodyLimit({ maxSize: deps.config.maxBodyBytes, onError: (c) => tooLarge(c) });
  const tooLarge = (c: Context) =>
    sendProblem(
      c,
      problemBody(
        'payload-too-large',
        'Payload Too Large',
        413,
        `bodies are limited to ${deps.config.maxBodyBytes} bytes`,
      ),
    );
  app.use('/v1/*', async (c, next) => {
    const length = c.req.header('content-length');
    if (length === undefined || c.req.header('transfer-encoding')) return countingLimit(c, next);
    const declared = Number(length);
    if (!(declared > deps.config.maxBodyBytes)) return next();
    // Read and drop the oversized body before answering, so a client still sending gets the 413 rather
    // than a reset connection. Past 16x the limit the connection is simply cut.
    if (declared <= deps.config.maxBodyBytes * 16 && c.req.raw.body) {
      for await (const _chunk of c.req.raw.body) {
        // discard
      }
    }
    return tooLarge(c);
  });
  app.use('/v1/*', async (c, next) => {
    const verified = await deps.verifier.verify(c.req.header('authorization'));
    if (!verified.ok) {
      return sendProblem(c, problemBody('unauthorized', 'Unauthorized', 401, verified.failure.reason), {
        'www-authenticate': 'Bearer',
      });
    }
    c.set('principal', verified.principal);
    const allowed = deps.limiter.take(verified.principal.clientId);
    if (!allowed.ok) {
      return sendProblem(
        c,
        problemBody(
          'rate-limited',
          'Too Many Requests',
          429,
          `this client is over its rate limit; retry in ${allowed.retryAfterSeconds}s`,
        ),
        {
          'retry-after': String(allowed.retryAfterSeconds),
        },
      );
    }
    await next();
  });

  app.route('/', opsRoutes(deps));
  app.route('/v1/transactions', transactionsRoutes(deps));
  app.route('/v1/ingest', ingestRoutes(deps));
  app.route('/v1/stores', reportRoutes(deps));
  app.route('/v1/stores', reconciliationRoutes(deps));
  app.route('/v1/exports', exportsRoutes(deps));
  app.route('/v1/admin', dispatchAdminRoutes(deps));
  return app;
}
