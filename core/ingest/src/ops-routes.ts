import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Hono } from 'hono';
import { sql } from 'kysely';
import type { IngestDeps, IngestEnv } from './ingest-context.ts';
import { openApiDocument } from './openapi-document.ts';

const swaggerDir = join(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'), '..');
const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css',
  'swagger-ui-bundle.js': 'text/javascript',
  'swagger-ui-standalone-preset.js': 'text/javascript',
};

const DOCS_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>poshub ingest API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="docs"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/assets/swagger-ui-standalone-preset.js"></script>
<script src="/docs/init.js"></script></body></html>`;

// Served as a file, not inline, so the page works under a strict Content-Security-Policy.
const DOCS_INIT = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#docs', presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset], layout: 'StandaloneLayout' });`;

/** Health, readiness, metrics, the OpenAPI document and its docs page (assets served locally), dev issuer keys. */
export function opsRoutes(deps: IngestDeps) {
  const app = new Hono<IngestEnv>();
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    try {
      await sql`select 1`.execute(deps.db);
      // Dispatch that is still starting its consumers does not make ingest unready: events wait in the lanes.
      const consuming = deps.dispatch?.consuming?.();
      return c.json({
        status: 'ready',
        database: deps.config.databaseUrl ? 'postgresql' : 'pglite',
        ...(consuming === undefined ? {} : { dispatch: consuming ? 'consuming' : 'starting' }),
      });
    } catch {
      return c.json({ status: 'not ready', reason: 'database unreachable' }, 503);
    }
  });
  app.get('/metrics', async (c) =>
    c.text(await deps.metrics.registry.metrics(), 200, { 'content-type': deps.metrics.registry.contentType }),
  );
  app.get('/openapi.json', (c) => c.json(openApiDocument(new URL(c.req.url).origin)));
  app.get('/docs', (c) => c.html(DOCS_PAGE));
  app.get('/docs/init.js', (c) => c.body(DOCS_INIT, 200, { 'content-type': 'text/javascript' }));
  app.get('/docs/assets/:file', async (c) => {
    const file = c.req.param('file');
    const type = ASSETS[file];
    if (!type) return c.notFound();
    return c.body(await readFile(join(swaggerDir, file)), 200, {
      'content-type': type,
      'cache-control': 'public, max-age=86400',
    });
  });
  if (deps.devIssuer) {
    const dev = deps.devIssuer;
    app.get('/dev-issuer/jwks.json', (c) => c.json(dev.jwks));
    app.get('/dev-issuer/.well-known/openid-configuration', (c) =>
      c.json({
        issuer: dev.issuer,
        jwks_uri: `${dev.issuer}/jwks.json`,
        token_endpoint_auth_methods_supported: [],
      }),
    );
  }
  return app;
}
