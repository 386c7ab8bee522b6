import { EVENT_TYPES, eventSchema } from '@poshub/model';
import { FORMATS } from '@poshub/normalizers';
import { z } from 'zod';
import { TRANSACTION_TYPES } from './admit-event.ts';

function schemaOf(type: (typeof EVENT_TYPES)[number]): Record<string, unknown> {
  const { $schema: _drop, ...schema } = z.toJSONSchema(eventSchema(type), {
    target: 'draft-2020-12',
    io: 'input',
    unrepresentable: 'any',
  });
  return schema;
}

const problem = { $ref: '#/components/schemas/Problem' };
const problemResponse = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: problem } },
});
const importJobResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/ImportJob' } } },
});
const errors = {
  '400': problemResponse('Malformed request (JSON syntax, missing Idempotency-Key)'),
  '401': problemResponse('Missing or invalid bearer token'),
  '403': problemResponse('Missing scope, or a store this client may not post for'),
  '413': problemResponse('Body or batch too large'),
  '415': problemResponse('Unsupported content type'),
  '429': problemResponse('Rate limit: retry after the Retry-After header'),
};

/** The OpenAPI 3.1 document of the ingest API; schemas come from the same zod schemas that validate. */
export function openApiDocument(serverUrl: string): Record<string, unknown> {
  const eventSchemas = Object.fromEntries(EVENT_TYPES.map((t) => [t, schemaOf(t)]));
  const transactionRefs = [...TRANSACTION_TYPES].map((t) => ({ $ref: `#/components/schemas/${t}` }));
  return {
    openapi: '3.1.0',
    info: {
      title: 'poshub ingest API',
      version: '1.0.0',
      description:
        'Durable, idempotent intake of POS transactions, vendor webhooks and store-and-forward flushes. A 2xx means the event is committed in PostgreSQL (synchronous_commit on) with its outbox row. Errors are RFC 9457 problem+json with JSON pointers.',
    },
    servers: [{ url: serverUrl }],
    security: [{ bearer: [] }],
    paths: {
      '/v1/transactions': {
        post: {
          summary: 'Post one canonical transaction',
          description:
            'Scope pos:write; the token may only post for its own stores. Same key + same body replays with Idempotent-Replayed: true; same key + other body is 422; a request still in flight with the key is 409. A business key (store, workstation, business day, sequence) resent with identical content answers 200 duplicate; with different content 409, recorded for review.',
          parameters: [
            {
              name: 'Idempotency-Key',
              in: 'header',
              required: true,
              schema: { type: 'string', minLength: 1, maxLength: 255 },
            },
          ],
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { oneOf: transactionRefs } } },
          },
          responses: {
            '201': {
              description: 'Committed',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Accepted' } } },
            },
            '200': { description: 'Duplicate of a committed transaction, or a replay' },
            '409': problemResponse('In flight, or a conflicting resend of a business key'),
            '422': problemResponse(
              'Invalid document (every problem listed with a JSON pointer), or key reused with another body',
            ),
            ...errors,
          },
        },
      },
      '/v1/transactions/batch': {
        post: {
          summary: 'Store-and-forward flush: up to 1,000 transactions, each with its own key',
          description:
            'A JSON array or NDJSON. Each item is a canonical event (its id is its key) or {"idempotencyKey", "event"}. Each item is answered on its own; one bad item does not sink the rest.',
          requestBody: {
            required: true,
            content: {
              'application/json': { schema: { type: 'array', maxItems: 1000 } },
              'application/x-ndjson': { schema: { type: 'string' } },
            },
          },
          responses: {
            '200': {
              description: 'A result per item: {accepted, refused, results: [{index, status, body}]}',
            },
            ...errors,
          },
        },
      },
      '/v1/ingest/{format}': {
        post: {
          summary: 'A vendor document, normalised',
          description:
            'POSLog (a whole business day), Shopify, Square, Lightspeed X/R, Adyen or canonical JSON. Shopify and Square signatures are verified when a secret is configured. The key defaults to the vendor id inside each event.',
          parameters: [
            { name: 'format', in: 'path', required: true, schema: { type: 'string', enum: [...FORMATS] } },
            {
              name: 'timeZone',
              in: 'query',
              schema: { type: 'string' },
              description: 'Store IANA zone, for sources without a business day',
            },
            {
              name: 'currency',
              in: 'query',
              schema: { type: 'string' },
              description: 'For documents that name no currency',
            },
          ],
          requestBody: { required: true, content: { 'application/xml': {}, 'application/json': {} } },
          responses: {
            '200': { description: '{format, accepted, skipped, refused, results}' },
            '422': problemResponse('Nothing in the document could be accepted'),
            ...errors,
          },
        },
      },
      '/v1/transactions/{id}': {
        get: {
          summary: 'A stored event and its delivery state',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: {
            '200': { description: '{event, receivedAt, delivery}' },
            '404': problemResponse('No such event'),
            ...errors,
          },
        },
      },
      '/v1/stores/{storeId}/business-days/{day}': {
        get: {
          summary: 'What arrived for a business day, per workstation: counts, totals, sequence gaps',
          parameters: [
            { name: 'storeId', in: 'path', required: true, schema: { type: 'string' } },
            { name: 'day', in: 'path', required: true, schema: { type: 'string', format: 'date' } },
          ],
          responses: { '200': { description: '{storeId, businessDay, workstations: [...]}' }, ...errors },
        },
      },
      '/v1/imports': {
        post: {
          summary: 'Start an ERP bulk import (erp:batch): products, prices, stock levels or customers',
          description:
            'Either a small JSON document {type, format, key?, length?} that creates the job (its file follows in PATCH chunks), or the file itself as the body (?type=product|price|stock|customer, NDJSON or CSV by Content-Type or ?format=; Content-Encoding: gzip or application/gzip accepted), streamed whatever its size. The job key (Idempotency-Key header or the key field) names one job per client: the same key returns the same job (200, Idempotent-Replayed), and a whole file sent again under its key resumes where the job stands. Rows are checked one by one against the canonical model; the good ones are committed in batch events of up to 1,000 rows (one store per event, "*" for chain-wide rows), the bad ones reported per row. Upload-Complete: ?0 leaves the job open for more chunks (default ?1 when a body is sent).',
          parameters: [
            { name: 'type', in: 'query', schema: { enum: ['product', 'price', 'stock', 'customer'] } },
            { name: 'format', in: 'query', schema: { enum: ['ndjson', 'csv'] } },
            {
              name: 'Idempotency-Key',
              in: 'header',
              schema: { type: 'string', minLength: 1, maxLength: 255 },
            },
            { name: 'Upload-Complete', in: 'header', schema: { enum: ['?0', '?1'] } },
            { name: 'Upload-Length', in: 'header', schema: { type: 'integer' } },
          ],
          requestBody: {
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['type', 'format'],
                  properties: {
                    type: { enum: ['product', 'price', 'stock', 'customer'] },
                    format: { enum: ['ndjson', 'csv'] },
                    key: { type: 'string' },
                    length: { type: 'integer', description: 'Decoded length of the whole file, when known' },
                  },
                },
              },
              'application/x-ndjson': {},
              'text/csv': {},
              'application/gzip': {},
            },
          },
          responses: {
            '201': importJobResponse(
              'Created (Location: the job); with a body, the rows it held are committed',
            ),
            '200': importJobResponse('The job this key already names'),
            '409': problemResponse('Upload in progress (Retry-After), or the job is closed'),
            '422': problemResponse(
              'Bad job document, key reused for another type or format, or a CSV header',
            ),
            ...errors,
          },
        },
      },
      '/v1/imports/{id}': {
        get: {
          summary: 'An import job: status, upload offset, rows read, accepted and rejected, bytes, batches',
          description:
            'Also answers HEAD. The Upload-Offset header is where a resumed upload continues: every row before it is committed (accepted in a batch event or rejected), and no row is committed twice.',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: {
            '200': importJobResponse('The job'),
            '404': problemResponse('No such import for this client'),
            ...errors,
          },
        },
        patch: {
          summary: 'Append a chunk (IETF resumable uploads: Upload-Offset, Upload-Complete)',
          description:
            'The chunk starts at Upload-Offset (decoded bytes) and must start where the job stands, else 409 with expectedOffset. Chunks may be cut anywhere, even mid-row, and each may be gzip-compressed on its own (Content-Encoding: gzip). Rows are committed as they stream in; a body that breaks off keeps what it committed (400 upload-interrupted, or no answer at all): ask the job for its offset and continue from there.',
          parameters: [
            { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
            { name: 'Upload-Offset', in: 'header', required: true, schema: { type: 'integer' } },
            { name: 'Upload-Complete', in: 'header', schema: { enum: ['?0', '?1'] } },
          ],
          requestBody: {
            required: true,
            content: { 'application/partial-upload': {}, 'application/octet-stream': {} },
          },
          responses: {
            '200': importJobResponse('The job after the chunk'),
            '409': problemResponse('Mismatching Upload-Offset, upload in progress, or the job is closed'),
            ...errors,
          },
        },
      },
      '/v1/imports/{id}/complete': {
        post: {
          summary: 'Complete an upload: the last row needs no line end; the job becomes completed',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: {
            '200': importJobResponse('The completed job'),
            '409': problemResponse('Fewer bytes than the declared length, or the job failed'),
            ...errors,
          },
        },
      },
      '/v1/imports/{id}/errors': {
        get: {
          summary: 'The rejected rows of an import, as an NDJSON stream: {row, line, problems, raw}',
          description:
            'raw is the start of the row as sent (at most 1,000 characters), null when it held a card number.',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { '200': { description: 'NDJSON', content: { 'application/x-ndjson': {} } }, ...errors },
        },
      },
      '/v1/exports/sales': {
        get: {
          summary: "A store's sales journal for a business day, NDJSON (erp:batch or admin:read)",
          description:
            'The retail transactions of the day (sales, returns, exchanges, voids, post-voids; training never) as canonical events, one per line, in the order the hub received them (its outbox sequence). The first page fixes a snapshot: every later page, resumed or fetched again, reads the same events however many keep arriving for the day. Pages follow Link: <...>; rel="next" (absent on the last page); Poshub-Export-Cursor is the page\'s own cursor (fetching it again gives the same page; it also names the snapshot for the summary), Poshub-Export-Position the events before the page, Poshub-Export-Count those on it, Poshub-Export-Total those in the snapshot. A page that breaks off is cut, never ended cleanly: check the line count against Poshub-Export-Count. An unknown store is an empty journal.',
          parameters: [
            { name: 'store', in: 'query', required: true, schema: { type: 'string' } },
            { name: 'businessDay', in: 'query', required: true, schema: { type: 'string', format: 'date' } },
            {
              name: 'limit',
              in: 'query',
              schema: { type: 'integer', minimum: 1, maximum: 10000, default: 1000 },
            },
            {
              name: 'cursor',
              in: 'query',
              schema: { type: 'string' },
              description: 'Opaque, from a Link header',
            },
          ],
          responses: {
            '200': {
              description: 'NDJSON, one canonical event per line',
              content: { 'application/x-ndjson': {} },
            },
            '503': problemResponse('Transactions running at the first page did not end in time: retry'),
            ...errors,
          },
        },
      },
      '/v1/exports/sales/summary': {
        get: {
          summary:
            "What a store's business day adds up to, for an ERP to post at its cut-off (erp:batch or admin:read)",
          description:
            "Counts by kind; takings (sales, returns and exchanges not post-voided); taxes by rate with their taxable base; tenders by type (net of change, declined legs left out); returns; discounts by kind; voids and post-voids. Every amount is exact money in minor units with its currency and exponent. With snapshot= (any Poshub-Export-Cursor of an export) it sums exactly the events that export holds; the answer's snapshot does the same for a later export.",
          parameters: [
            { name: 'store', in: 'query', required: true, schema: { type: 'string' } },
            { name: 'businessDay', in: 'query', required: true, schema: { type: 'string', format: 'date' } },
            { name: 'snapshot', in: 'query', schema: { type: 'string' } },
          ],
          responses: {
            '200': {
              description:
                '{storeId, businessDay, snapshot, events, transactions, takings, byTaxRate, byTender, returns, discounts, voids, postVoids}',
            },
            '503': problemResponse('Transactions running at the start did not end in time: retry'),
            ...errors,
          },
        },
      },
      '/v1/stores/{storeId}/business-days/{day}/reconciliation': {
        get: {
          summary:
            "The reconciliation of a day's business-day closes with what the hub received (admin:read)",
          description:
            "One result per close (store-wide first, then by workstation), each the data of its latest business_day.reconciled.v1 event plus eventId: the till's counts and totals, what the hub received, the sequence numbers never received, and every difference. A close is reconciled when it arrives, and again when a transaction of its day arrives late; each change is a new version, emitted as an event to the connectors; the same inputs give no new version. A mismatch counts in poshub_reconciliation_mismatches_total.",
          parameters: [
            { name: 'storeId', in: 'path', required: true, schema: { type: 'string' } },
            { name: 'day', in: 'path', required: true, schema: { type: 'string', format: 'date' } },
          ],
          responses: {
            '200': { description: '{storeId, businessDay, status: matched|mismatched, results: [...]}' },
            '404': problemResponse('No close received for that store and day'),
            ...errors,
          },
        },
        post: {
          summary: "Run a day's reconciliations again (admin:write): an operator's repair, idempotent",
          parameters: [
            { name: 'storeId', in: 'path', required: true, schema: { type: 'string' } },
            { name: 'day', in: 'path', required: true, schema: { type: 'string', format: 'date' } },
          ],
          responses: {
            '200': { description: 'As GET, after the run' },
            '404': problemResponse('No close received for that store and day'),
            ...errors,
          },
        },
      },
      '/v1/admin/connectors': {
        get: {
          summary: 'Connectors this hub dispatches to, with their delivery counts by status (admin:read)',
          responses: {
            '200': { description: '{connectors: [{id, types, orderedPerStore, registeredAt, deliveries}]}' },
            ...errors,
          },
        },
      },
      '/v1/admin/deliveries': {
        get: {
          summary: 'The delivery ledger, the DLQ by default (status=dead): filter and page (admin:read)',
          parameters: [
            'connector',
            'status',
            'store',
            'type',
            'errorType',
            'from',
            'to',
            'limit',
            'after',
          ].map((name) => ({
            name,
            in: 'query',
            required: false,
            schema: { type: 'string' },
          })),
          responses: { '200': { description: '{items: [...], next}' }, ...errors },
        },
      },
      '/v1/admin/deliveries/{connector}/{eventId}': {
        get: {
          summary: 'One delivery: ledger row, attempt history, edits and the event (admin:read)',
          parameters: [
            { name: 'connector', in: 'path', required: true, schema: { type: 'string' } },
            { name: 'eventId', in: 'path', required: true, schema: { type: 'string' } },
          ],
          responses: { '200': { description: 'the delivery' }, ...errors },
        },
      },
      '/v1/admin/deliveries/{connector}/{eventId}/payload': {
        put: {
          summary:
            "Edit an event's data for one connector, audited, the original kept; checked like ingest (admin:write)",
          parameters: [
            { name: 'connector', in: 'path', required: true, schema: { type: 'string' } },
            { name: 'eventId', in: 'path', required: true, schema: { type: 'string' } },
          ],
          responses: { '201': { description: '{editId}' }, ...errors },
        },
      },
      '/v1/admin/replays': {
        post: {
          summary:
            'Replay to one connector: eventIds, a DLQ filter, or everything since T; dryRun defaults to true (admin:write)',
          responses: {
            '200': { description: 'dry run: the plan' },
            '202': { description: 'sent: the plan' },
            ...errors,
          },
        },
      },
      '/v1/admin/resyncs': {
        post: {
          summary:
            'Re-sync one transaction, SKU or customer to one connector; dryRun defaults to true (admin:write)',
          responses: {
            '200': { description: 'dry run: the plan' },
            '202': { description: 'sent: the plan' },
            ...errors,
          },
        },
      },
      '/healthz': {
        get: { security: [], summary: 'Liveness', responses: { '200': { description: 'alive' } } },
      },
      '/readyz': {
        get: {
          security: [],
          summary: 'Readiness (database reachable)',
          responses: { '200': { description: 'ready' }, '503': { description: 'not ready' } },
        },
      },
      '/metrics': {
        get: {
          security: [],
          summary: 'Prometheus metrics',
          responses: { '200': { description: 'text exposition format' } },
        },
      },
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: {
        ...eventSchemas,
        ImportJob: {
          type: 'object',
          properties: {
            id: { type: 'string' },
            key: { type: 'string' },
            type: { enum: ['product', 'price', 'stock', 'customer'] },
            format: { enum: ['ndjson', 'csv'] },
            eventType: { type: 'string' },
            status: { enum: ['receiving', 'processing', 'completed', 'failed'] },
            uploadOffset: { type: 'integer' },
            uploadLength: { type: ['integer', 'null'] },
            rows: {
              type: 'object',
              properties: {
                read: { type: 'integer' },
                accepted: { type: 'integer' },
                rejected: { type: 'integer' },
              },
            },
            bytesReceived: { type: 'integer' },
            chunksReceived: { type: 'integer' },
            batches: { type: 'integer' },
            error: { type: ['string', 'null'] },
            links: { type: 'object' },
          },
        },
        Accepted: {
          type: 'object',
          properties: {
            id: { type: 'string' },
            type: { type: 'string' },
            status: { enum: ['accepted', 'duplicate'] },
            businessKey: { type: ['string', 'null'] },
            dispatched: { type: 'boolean' },
          },
        },
        Problem: {
          type: 'object',
          required: ['type', 'title', 'status'],
          properties: {
            type: { type: 'string', format: 'uri' },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            problems: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  code: { type: 'string' },
                  pointer: { type: 'string' },
                  message: { type: 'string' },
                },
              },
            },
          },
        },
      },
    },
  };
}
