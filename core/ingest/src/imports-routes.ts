import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import {
  type AppendOutcome,
  appendToImport,
  type CardScan,
  findImportJob,
  IMPORT_FORMATS,
  IMPORT_KINDS,
  IMPORT_TYPES,
  type ImportError,
  type ImportFormat,
  type ImportJob,
  type ImportType,
  importJobView,
  importRejectLines,
  openImportJob,
  UploadLocks,
} from '@poshub/batch';
import { problemsFromZod } from '@poshub/model';
import { cardNumbersIn, findCardNumbers, parseJsonForScan } from '@poshub/rules';
import { type Context, Hono } from 'hono';
import { stream } from 'hono/streaming';
import { z } from 'zod';
import { type Principal, requireScope } from './auth.ts';
import type { IngestDeps, IngestEnv } from './ingest-context.ts';
import { type ProblemBody, problemBody } from './ingest-outcome.ts';
import { invalidDocument, sendProblem } from './problem-response.ts';
import { traceContextOf } from './trace-context.ts';

// Resumable upload protocol: the IETF "Resumable Uploads for HTTP" draft (draft-ietf-httpbis-resumable-upload,
// the standards-track successor of tus), not numbered chunks (PUT .../chunks/{n}). The server's offset is
// the truth: the client asks for it (GET/HEAD, Upload-Offset) and appends from there (PATCH with
// Upload-Offset); a chunk sent twice or out of order does not match the offset and gets 409 with the
// expected offset. Chunks may have any size and arrive strictly in order, so the server never buffers
// one to reorder it: it parses and commits rows while the bytes stream in, and the offset it reports is
// what it has processed. Numbered chunks would need a fixed size agreed up front and out-of-order storage.
// Offsets count decoded bytes (after Content-Encoding: gzip), so each chunk may be compressed on its own.

/** Scans rows for card numbers exactly as the rest of ingest does (@poshub/rules). */
const CARDS: CardScan = {
  inValue: (value, exempt) => findCardNumbers(value, [], exempt),
  inText: (text) => cardNumbersIn(text).length > 0,
  parseForScan: parseJsonForScan,
};

const KEY_RE = /^[\x21-\x7e]{1,255}$/;
const MAX_CREATE_BYTES = 64 * 1024;
const CSV_TYPES = /^text\/csv\b/i;
const NDJSON_TYPES = /^application\/(x-ndjson|jsonl|ndjson)\b/i;
const GZIP_TYPES = /^application\/(x-)?gzip\b|\+gzip\b/i;
const JSON_TYPE = /^application\/json\b/i;

/** Body of `POST /v1/imports` (application/json): the job alone, its file to follow in chunks. */
const CreateImport = z
  .object({
    type: z.enum(IMPORT_TYPES as [ImportType, ...ImportType[]]),
    format: z.enum(IMPORT_FORMATS as [ImportFormat, ...ImportFormat[]]),
    key: z.string().regex(KEY_RE, 'must be 1 to 255 visible ASCII characters').optional(),
    length: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  })
  .strict();

const problem = (status: number, slug: string, title: string, detail: string, extra = {}) =>
  problemBody(slug, title, status, detail, extra);

function uploadHeaders(job: ImportJob): Record<string, string> {
  return {
    'upload-offset': String(job.offset),
    'upload-complete': job.status === 'completed' ? '?1' : '?0',
    ...(job.length !== null ? { 'upload-length': String(job.length) } : {}),
    'cache-control': 'no-store',
  };
}

function sendJob(
  c: Context,
  job: ImportJob,
  status: 200 | 201,
  extra: Record<string, string> = {},
): Response {
  return c.newResponse(JSON.stringify(importJobView(job)), status, {
    'content-type': 'application/json',
    ...uploadHeaders(job),
    ...extra,
  });
}

/** The problem for an upload the job did not (wholly) take. */
function importProblem(error: ImportError, job: ImportJob): ProblemBody {
  switch (error.code) {
    case 'offset_mismatch':
      return problem(
        409,
        'mismatching-upload-offset',
        'Mismatching Upload-Offset',
        `this import is at byte ${error.expected}, the chunk starts at ${error.provided}: send the bytes from ${error.expected} on`,
        { expectedOffset: error.expected, providedOffset: error.provided },
      );
    case 'not_receiving':
      return problem(
        409,
        'import-not-receiving',
        'Import closed',
        `this import is ${error.status} and takes no more bytes; start another import under a new key`,
        { importStatus: error.status },
      );
    case 'csv_header':
      return invalidDocument(
        error.problems,
        'the CSV header is not usable; the import failed and nothing was committed',
      );
    case 'length_mismatch':
      return problem(
        409,
        'upload-incomplete',
        'Upload incomplete',
        `the upload was declared ${error.length} bytes long and ${error.offset} arrived: send the rest, then complete it`,
        { uploadLength: error.length, uploadOffset: error.offset },
      );
    case 'moved':
      return problem(
        409,
        'import-moved',
        'Import moved on',
        'another upload to this import committed meanwhile and this one stopped: GET the import and resume from its offset',
      );
    case 'body_failed':
      return problem(
        400,
        'upload-interrupted',
        'Upload interrupted',
        `the body broke off (${error.message}); every row up to byte ${job.offset} is committed: resume from there`,
        { uploadOffset: job.offset },
      );
  }
}

function sendOutcome(c: Context, outcome: AppendOutcome, created: boolean): Response {
  if (outcome.ok) return sendJob(c, outcome.job, created ? 201 : 200, created ? locationOf(outcome.job) : {});
  return sendProblem(c, importProblem(outcome.error, outcome.job), {
    ...uploadHeaders(outcome.job),
    ...locationOf(outcome.job),
  });
}

function locationOf(job: ImportJob): Record<string, string> {
  return { location: `/v1/imports/${encodeURIComponent(job.id)}` };
}

/** Upload-Complete is a structured-field boolean (?1 / ?0). */
function uploadComplete(header: string | undefined): boolean | undefined | 'invalid' {
  if (header === undefined) return undefined;
  const v = header.trim();
  return v === '?1' ? true : v === '?0' ? false : 'invalid';
}

/**
 * The decoded body: Content-Encoding gzip (or a gzip content type) is inflated on the fly; the wire bytes
 * are counted as they are read. Nothing is buffered beyond the stream's own chunks.
 */
function decodedBody(
  c: Context,
): { ok: true; body: AsyncIterable<Uint8Array> | undefined; wireBytes: () => number } | { ok: false } {
  const encoding = (c.req.header('content-encoding') ?? 'identity').trim().toLowerCase();
  if (!['identity', 'gzip', 'x-gzip', ''].includes(encoding)) return { ok: false };
  let layers =
    (encoding.endsWith('gzip') ? 1 : 0) + (GZIP_TYPES.test(c.req.header('content-type') ?? '') ? 1 : 0);
  let wire = 0;
  const raw = c.req.raw.body;
  if (!raw) return { ok: true, body: undefined, wireBytes: () => wire };
  async function* counted() {
    for await (const chunk of raw as unknown as AsyncIterable<Uint8Array>) {
      wire += chunk.byteLength;
      yield chunk;
    }
  }
  let body: AsyncIterable<Uint8Array> = counted();
  while (layers-- > 0) {
    const source = Readable.from(body, { objectMode: false });
    const gunzip = createGunzip();
    source.on('error', (error) => gunzip.destroy(error));
    body = source.pipe(gunzip);
  }
  return { ok: true, body, wireBytes: () => wire };
}

async function readSmallText(c: Context): Promise<string | undefined> {
  const raw = c.req.raw.body;
  if (!raw) return '';
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of raw as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > MAX_CREATE_BYTES) return undefined;
    parts.push(Buffer.from(chunk));
  }
  return Buffer.concat(parts).toString('utf8');
}

/**
 * POST /v1/imports, PATCH /v1/imports/:id, POST /v1/imports/:id/complete, GET /v1/imports/:id and
 * GET /v1/imports/:id/errors. Mounted ahead of the /v1 body limit, since uploads stream whatever their size:
 * this router authenticates and rate-limits itself with the app's own verifier and limiter.
 */
export function importsRoutes(deps: IngestDeps) {
  const app = new Hono<IngestEnv>();
  const locks = new UploadLocks();

  app.use('*', async (c, next) => {
    const verified = await deps.verifier.verify(c.req.header('authorization'));
    if (!verified.ok) {
      return sendProblem(c, problem(401, 'unauthorized', 'Unauthorized', verified.failure.reason), {
        'www-authenticate': 'Bearer',
      });
    }
    c.set('principal', verified.principal);
    const allowed = deps.limiter.take(verified.principal.clientId);
    if (!allowed.ok) {
      return sendProblem(
        c,
        problem(
          429,
          'rate-limited',
          'Too Many Requests',
          `this client is over its rate limit; retry in ${allowed.retryAfterSeconds}s`,
        ),
        { 'retry-after': String(allowed.retryAfterSeconds) },
      );
    }
    await next();
  });

  const forbidden = (c: Context<IngestEnv>) => {
    const denied = requireScope(c.var.principal, 'erp:batch');
    return denied ? sendProblem(c, problem(403, 'forbidden-scope', 'Forbidden', denied.reason)) : undefined;
  };

  /** The caller's job, or a 404 (another client's job is not shown to exist). */
  const ownJob = async (
    c: Context<IngestEnv>,
    opts: { read?: boolean } = {},
  ): Promise<{ ok: true; job: ImportJob } | { ok: false; response: Response }> => {
    const id = c.req.param('id') ?? '';
    const job = await findImportJob(deps.db, id);
    const principal = c.var.principal;
    const visible =
      job &&
      (job.clientId === principal.clientId || (opts.read === true && principal.scopes.has('admin:read')));
    if (!visible) {
      return {
        ok: false,
        response: sendProblem(c, problem(404, 'not-found', 'Not Found', `no import ${id}`)),
      };
    }
    return { ok: true, job };
  };

  const append = async (
    c: Context<IngestEnv>,
    job: ImportJob,
    request: { offset: number; skip?: number; complete: boolean; created?: boolean },
    body: { body: AsyncIterable<Uint8Array> | undefined; wireBytes: () => number },
  ): Promise<Response> => {
    const release = locks.take(job.id);
    if (!release) {
      return sendProblem(
        c,
        problem(
          409,
          'import-busy',
          'Upload in progress',
          'another upload to this import is still running; retry shortly',
        ),
        { 'retry-after': '1', ...uploadHeaders(job) },
      );
    }
    try {
      const outcome = await appendToImport(deps.db, job, body.body, {
        ...request,
        wireBytes: body.wireBytes,
        principal: principalOf(c.var.principal),
        cards: CARDS,
        trace: traceContextOf((name) => c.req.header(name)),
      });
      const after = outcome.job;
      deps.log.info(
        {
          importId: after.id,
          status: after.status,
          offset: after.offset,
          rowsRead: after.rowsRead,
          rowsAccepted: after.rowsAccepted,
          rowsRejected: after.rowsRejected,
          error: outcome.ok ? undefined : outcome.error.code,
        },
        'import upload',
      );
      return sendOutcome(c, outcome, request.created === true);
    } finally {
      release();
    }
  };

  app.post('/', async (c) => {
    const denied = forbidden(c);
    if (denied) return denied;
    const contentType = c.req.header('content-type') ?? '';
    const headerKey = c.req.header('idempotency-key');
    if (headerKey !== undefined && !KEY_RE.test(headerKey)) {
      return sendProblem(
        c,
        problem(
          400,
          'bad-idempotency-key',
          'Bad Idempotency-Key',
          'the Idempotency-Key is 1 to 255 visible ASCII characters',
        ),
      );
    }

    let spec: {
      type: ImportType;
      format: ImportFormat;
      key?: string | undefined;
      length?: number | undefined;
    };
    let upload: ReturnType<typeof decodedBody> | undefined;
    let complete = true;
    if (JSON_TYPE.test(contentType)) {
      const text = await readSmallText(c);
      if (text === undefined) {
        return sendProblem(
          c,
          problem(
            413,
            'payload-too-large',
            'Payload Too Large',
            'an import is created with a small JSON document',
          ),
        );
      }
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch (error) {
        return sendProblem(
          c,
          problem(
            400,
            'malformed-json',
            'Malformed JSON',
            `the body is not JSON: ${(error as Error).message}`,
          ),
        );
      }
      const parsed = CreateImport.safeParse(json);
      if (!parsed.success)
        return sendProblem(c, invalidDocument(problemsFromZod(parsed.error), 'no import was created'));
      if (parsed.data.key !== undefined && headerKey !== undefined && parsed.data.key !== headerKey) {
        return sendProblem(
          c,
          problem(400, 'conflicting-keys', 'Two keys', 'the Idempotency-Key header and the key field differ'),
        );
      }
      spec = { ...parsed.data, key: parsed.data.key ?? headerKey };
    } else {
      // The whole file (or its first part, with Upload-Complete: ?0) in this body; the job from the query.
      const type = c.req.query('type');
      const format =
        c.req.query('format') ??
        (CSV_TYPES.test(contentType) ? 'csv' : NDJSON_TYPES.test(contentType) ? 'ndjson' : '');
      if (!type || !(IMPORT_TYPES as string[]).includes(type)) {
        return sendProblem(
          c,
          problem(
            400,
            'unknown-import-type',
            'Unknown import type',
            `?type= is one of ${IMPORT_TYPES.join(', ')}`,
          ),
        );
      }
      if (!(IMPORT_FORMATS as string[]).includes(format)) {
        return sendProblem(
          c,
          problem(
            415,
            'unsupported-media-type',
            'Unsupported Media Type',
            'send text/csv or application/x-ndjson (gzip as Content-Encoding or application/gzip with ?format=), or ?format=csv|ndjson',
          ),
        );
      }
      const flag = uploadComplete(c.req.header('upload-complete'));
      if (flag === 'invalid') {
        return sendProblem(
          c,
          problem(400, 'bad-upload-complete', 'Bad Upload-Complete', 'Upload-Complete is ?1 or ?0'),
        );
      }
      complete = flag ?? true;
      const length = c.req.header('upload-length');
      if (length !== undefined && !/^\d{1,15}$/.test(length)) {
        return sendProblem(
          c,
          problem(400, 'bad-upload-length', 'Bad Upload-Length', 'Upload-Length is a byte count'),
        );
      }
      upload = decodedBody(c);
      if (!upload.ok) {
        return sendProblem(
          c,
          problem(415, 'unsupported-encoding', 'Unsupported Media Type', 'Content-Encoding is gzip or none'),
        );
      }
      spec = {
        type: type as ImportType,
        format: format as ImportFormat,
        key: headerKey,
        length: length === undefined ? undefined : Number(length),
      };
    }

    const principal = c.var.principal;
    if (IMPORT_KINDS[spec.type].chainWide && principal.stores) {
      return sendProblem(
        c,
        problem(
          403,
          'forbidden-store',
          'Forbidden',
          `${spec.type} rows apply to every store: this client may write only for stores ${[...principal.stores].join(', ')}`,
        ),
      );
    }
    const opened = await openImportJob(deps.db, { clientId: principal.clientId, ...spec });
    if (!opened.ok) {
      return sendProblem(
        c,
        problem(
          422,
          'idempotency-key-reused',
          'Idempotency-Key reused',
          `the key "${spec.key}" names an import of ${opened.existing.type} as ${opened.existing.format}${opened.existing.length === null ? '' : ` of ${opened.existing.length} bytes`}`,
          { existing: `/v1/imports/${opened.existing.id}` },
        ),
      );
    }
    const { job, created } = opened;
    const replayed: Record<string, string> = created ? {} : { 'idempotent-replayed': 'true' };
    if (!upload?.ok || !upload.body || job.status === 'completed' || job.status === 'failed') {
      return sendJob(c, job, created ? 201 : 200, { ...locationOf(job), ...replayed });
    }
    // The same file sent again under its key resumes: the bytes the job already has are skipped.
    const response = await append(
      c,
      job,
      { offset: job.offset, skip: job.offset, complete, created },
      { body: upload.body, wireBytes: upload.wireBytes },
    );
    for (const [name, value] of Object.entries(replayed)) response.headers.set(name, value);
    return response;
  });

  app.patch('/:id', async (c) => {
    const denied = forbidden(c);
    if (denied) return denied;
    const found = await ownJob(c);
    if (!found.ok) return found.response;
    const offset = c.req.header('upload-offset');
    if (offset === undefined || !/^\d{1,15}$/.test(offset.trim())) {
      return sendProblem(
        c,
        problem(
          400,
          'upload-offset-required',
          'Upload-Offset required',
          'a chunk says where it starts: Upload-Offset: <byte>',
        ),
        uploadHeaders(found.job),
      );
    }
    const flag = uploadComplete(c.req.header('upload-complete'));
    if (flag === 'invalid') {
      return sendProblem(
        c,
        problem(400, 'bad-upload-complete', 'Bad Upload-Complete', 'Upload-Complete is ?1 or ?0'),
      );
    }
    const upload = decodedBody(c);
    if (!upload.ok) {
      return sendProblem(
        c,
        problem(415, 'unsupported-encoding', 'Unsupported Media Type', 'Content-Encoding is gzip or none'),
      );
    }
    return append(c, found.job, { offset: Number(offset.trim()), complete: flag ?? false }, upload);
  });

  app.post('/:id/complete', async (c) => {
    const denied = forbidden(c);
    if (denied) return denied;
    const found = await ownJob(c);
    if (!found.ok) return found.response;
    if (found.job.status === 'completed') return sendJob(c, found.job, 200);
    return append(
      c,
      found.job,
      { offset: found.job.offset, complete: true },
      { body: undefined, wireBytes: () => 0 },
    );
  });

  app.get('/:id', async (c) => {
    const principal = c.var.principal;
    if (!principal.scopes.has('erp:batch') && !principal.scopes.has('admin:read')) {
      return sendProblem(
        c,
        problem(403, 'forbidden-scope', 'Forbidden', 'this needs the erp:batch or admin:read scope'),
      );
    }
    const found = await ownJob(c, { read: true });
    if (!found.ok) return found.response;
    return sendJob(c, found.job, 200);
  });

  app.get('/:id/errors', async (c) => {
    const principal = c.var.principal;
    if (!principal.scopes.has('erp:batch') && !principal.scopes.has('admin:read')) {
      return sendProblem(
        c,
        problem(403, 'forbidden-scope', 'Forbidden', 'this needs the erp:batch or admin:read scope'),
      );
    }
    const found = await ownJob(c, { read: true });
    if (!found.ok) return found.response;
    c.header('content-type', 'application/x-ndjson');
    c.header('cache-control', 'no-store');
    return stream(c, async (out) => {
      for await (const page of importRejectLines(deps.db, found.job.id)) {
        if (out.aborted) break;
        await out.write(page);
      }
    });
  });

  return app;
}

function principalOf(principal: Principal): { clientId: string; stores: ReadonlySet<string> | undefined } {
  return { clientId: principal.clientId, stores: principal.stores };
}
