import {
  decodeExportCursor,
  type ExportPosition,
  encodeExportCursor,
  openExportSnapshot,
  salesJournalPage,
  salesSummary,
} from '@poshub/batch';
import { IsoDate } from '@poshub/model';
import { type Context, Hono } from 'hono';
import type { IngestDeps, IngestEnv } from './ingest-context.ts';
import { type ProblemBody, problemBody } from './ingest-outcome.ts';
import { sendProblem } from './problem-response.ts';

const DEFAULT_LIMIT = 1000;
const MAX_LIMIT = 10_000;

type Resolved = { ok: true; position: ExportPosition } | { ok: false; response: Response };

/**
 * GET /v1/exports/sales (the sales journal of a store's business day, NDJSON, page by page along
 * `Link: rel="next"` cursors) and GET /v1/exports/sales/summary (what that journal adds up to). Both read a
 * snapshot fixed at the first page (see openExportSnapshot), so sales that keep arriving for the day do not
 * change an export under way, and a summary given an export's cursor adds up to exactly that export.
 */
export function exportsRoutes(deps: IngestDeps) {
  const app = new Hono<IngestEnv>();

  const problem = (c: Context, body: ProblemBody, headers: Record<string, string> = {}) =>
    ({ ok: false, response: sendProblem(c, body, headers) }) as const;

  /** The caller's rights, the query, and the snapshot: a cursor's, or a fresh one. */
  const resolve = async (
    c: Context<IngestEnv>,
    cursorParam: 'cursor' | 'snapshot',
    more: () => ProblemBody | undefined = () => undefined,
  ): Promise<Resolved> => {
    const principal = c.var.principal;
    if (!principal.scopes.has('erp:batch') && !principal.scopes.has('admin:read')) {
      return problem(
        c,
        problemBody('forbidden-scope', 'Forbidden', 403, 'this needs the erp:batch or admin:read scope'),
      );
    }
    const storeId = c.req.query('store') ?? '';
    const day = c.req.query('businessDay') ?? '';
    if (storeId.trim() === '' || storeId.length > 200) {
      return problem(
        c,
        problemBody('store-required', 'Store required', 400, 'name the store: ?store=<store id>'),
      );
    }
    if (!IsoDate.safeParse(day).success) {
      return problem(
        c,
        problemBody(
          'invalid-day',
          'Invalid business day',
          400,
          'the business day is written YYYY-MM-DD: ?businessDay=2026-03-14',
        ),
      );
    }
    if (!principal.scopes.has('admin:read') && principal.stores && !principal.stores.has(storeId)) {
      return problem(
        c,
        problemBody('forbidden-store', 'Forbidden', 403, `this client may not read store ${storeId}`),
      );
    }
    const refused = more();
    if (refused) return problem(c, refused);
    const cursor = c.req.query(cursorParam);
    if (cursor !== undefined) {
      const position = decodeExportCursor(cursor);
      if (!position || position.storeId !== storeId || position.businessDay !== day) {
        return problem(
          c,
          problemBody(
            'invalid-cursor',
            'Invalid cursor',
            400,
            `?${cursorParam}= is not a cursor this hub gave for store ${storeId} and day ${day}: start again without it`,
          ),
        );
      }
      return { ok: true, position };
    }
    const snapshot = await openExportSnapshot(deps.db, storeId, day);
    if (!snapshot.ok) {
      return problem(
        c,
        problemBody(
          'export-busy',
          'Busy',
          503,
          'transactions running when the export started did not end in time; retry shortly',
        ),
        { 'retry-after': '1' },
      );
    }
    return { ok: true, position: snapshot.position };
  };

  app.get('/sales', async (c) => {
    const limitText = c.req.query('limit');
    const limit = limitText === undefined ? DEFAULT_LIMIT : Number(limitText);
    const resolved = await resolve(c, 'cursor', () =>
      Number.isInteger(limit) && limit >= 1 && limit <= MAX_LIMIT
        ? undefined
        : problemBody(
            'invalid-limit',
            'Invalid limit',
            400,
            `?limit= is a whole number from 1 to ${MAX_LIMIT}`,
          ),
    );
    if (!resolved.ok) return resolved.response;
    const position = resolved.position;
    const page = await salesJournalPage(deps.db, position, limit);
    const headers: Record<string, string> = {
      'content-type': 'application/x-ndjson',
      'cache-control': 'no-store',
      'poshub-export-cursor': encodeExportCursor(position),
      'poshub-export-position': String(position.sent),
      'poshub-export-count': String(page.count),
      'poshub-export-total': String(position.total),
    };
    if (page.next) {
      const query = new URLSearchParams({
        store: position.storeId,
        businessDay: position.businessDay,
        limit: String(limit),
        cursor: encodeExportCursor(page.next),
      });
      headers.link = `</v1/exports/sales?${query}>; rel="next"`;
    }
    const requestId = c.var.requestId;
    const log = deps.log;
    // A failure mid-page errors the body (the connection is cut), so a client never takes a short page
    // for a whole one; it also checks the line count against Poshub-Export-Count.
    const body = ReadableStream.from(
      (async function* () {
        try {
          for await (const lines of page.lines) yield Buffer.from(lines);
        } catch (error) {
          log.error({ requestId, err: { message: (error as Error).message } }, 'sales export failed');
          throw error;
        }
      })(),
    );
    return c.body(body as ReadableStream<Uint8Array>, 200, headers);
  });

  app.get('/sales/summary', async (c) => {
    const resolved = await resolve(c, 'snapshot');
    if (!resolved.ok) return resolved.response;
    c.header('cache-control', 'no-store');
    return c.json(await salesSummary(deps.db, resolved.position));
  });

  return app;
}
