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
