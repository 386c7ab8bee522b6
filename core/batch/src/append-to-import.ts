import { IMPORT_BATCH_MAX_ROWS, type Problem } from '@poshub/model';
import type { Database } from '@poshub/store';
import type { Kysely } from 'kysely';
import { batchEvents } from './batch-events.ts';
import type { CardScan } from './card-scan.ts';
import { checkRow, type RowCheck, type RowRules } from './check-row.ts';
import { CommitChain } from './commit-chain.ts';
import { commitImportBatch, type ImportCommit, markImportProcessing } from './commit-import-batch.ts';
import { CsvFields } from './csv-fields.ts';
import { findImportJob } from './find-import-job.ts';
import type { ImportError } from './import-error.ts';
import type { ImportJob } from './import-job.ts';
import { IMPORT_KINDS, type ImportKind } from './import-kinds.ts';
import { PendingBatch } from './pending-batch.ts';
import { type RawRow, RowSplitter } from './row-splitter.ts';

/** Bounds of one upload's processing: what a batch holds, what memory may hold, how long a row may be. */
export interface ImportLimits {
  /** Rows per batch event (at most 1,000, the model's bound). */
  batchRows: number;
  /** Rows (accepted and rejected) held before a commit, whatever their subjects. */
  maxPendingRows: number;
  /** Longest row; a longer one is refused and skipped. */
  maxRowBytes: number;
}

/** The limits used unless told otherwise. */
export const DEFAULT_IMPORT_LIMITS: ImportLimits = {
  batchRows: IMPORT_BATCH_MAX_ROWS,
  maxPendingRows: 10_000,
  maxRowBytes: 1024 * 1024,
};

/** One body sent to a job (a chunk, or the whole file), and who sends it. */
export interface AppendRequest {
  /** Where the client says the body starts in the decoded upload (Upload-Offset). */
  offset: number;
  /** Leading decoded bytes of the body the job already has (a whole file sent again): dropped unread. */
  skip?: number;
  /** The body ends the upload: the last row needs no line end, and the job completes. */
  complete: boolean;
  /** Bytes of the body read off the wire so far (before decompression). */
  wireBytes(): number;
  principal: { clientId: string; stores: ReadonlySet<string> | undefined };
  cards: CardScan;
  trace?: { traceparent?: string | undefined; tracestate?: string | undefined };
  limits?: Partial<ImportLimits>;
}

/** The job after the body, or why the body was not (wholly) taken, with the job as it now stands. */
export type AppendOutcome = { ok: true; job: ImportJob } | { ok: false; error: ImportError; job: ImportJob };

const EMPTY = Buffer.alloc(0);
const RAW_KEPT = 1000;

class JobMoved extends Error {
  override name = 'JobMoved';
}

function isBlank(bytes: Buffer): boolean {
  for (const b of bytes) if (b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09) return false;
  return true;
}

/** The start of a refused row for its error report: never with a card number in it. */
function rawOf(bytes: Buffer, cards: CardScan): string | null {
  const text = bytes.toString('utf8', 0, Math.min(bytes.length, 4 * RAW_KEPT)).replace(/\r?\n$/, '');
  if (cards.inText(text)) return null;
  if (text.length <= RAW_KEPT) return text;
  // Never cut through a run of digits: its first part could be most of a card number.
  return `${text.slice(0, RAW_KEPT).replace(/[\d -]+$/, '')}…`;
}

function headerProblems(kind: ImportKind, columns: string[]): Problem[] {
  const problems: Problem[] = [];
  const seen = new Set<string>();
  for (const name of columns) {
    if (!kind.csvColumns.includes(name)) {
      problems.push({
        code: 'csv.unknown_column',
        pointer: `/${name}`,
        message: `"${name}" is not a ${kind.type} column; columns: ${kind.csvColumns.join(', ')}`,
        severity: 'error',
      });
    } else if (seen.has(name)) {
      problems.push({
        code: 'csv.duplicate_column',
        pointer: `/${name}`,
        message: `"${name}" appears twice`,
        severity: 'error',
      });
    }
    seen.add(name);
  }
  for (const name of kind.csvRequired) {
    if (!seen.has(name)) {
      problems.push({
        code: 'csv.missing_column',
        pointer: `/${name}`,
        message: `a ${kind.type} file needs a "${name}" column`,
        severity: 'error',
      });
    }
  }
  return problems;
}

function refusal(job: ImportJob, req: AppendRequest): ImportError | undefined {
  if (job.status === 'completed' || job.status === 'failed')
    return { code: 'not_receiving', status: job.status };
  // A job being completed takes no more bytes; only the completion may be asked again.
  if (job.status === 'processing' && !req.complete) return { code: 'not_receiving', status: job.status };
  if (req.offset !== job.offset)
    return { code: 'offset_mismatch', expected: job.offset, provided: req.offset };
  return undefined;
}

/**
 * Streams one body into an import job: cuts it into rows, checks each against the canonical model (bad
 * rows are rejected with their row number, pointer and message; the good ones go on), and commits accepted
 * rows as batch events with their outbox rows, together with the rejects and the job's new offset, one
 * transaction per batch. Reading goes on while a batch commits, but never more than one batch ahead, so
 * memory stays flat whatever the size of the body. Each commit starts from the job state the last one left
 * (offset and batch number), and every offset is the end of a row whose fate is committed: a body that
 * breaks off keeps what it committed, and the client resumes from the job's offset without any row being
 * committed twice. When the body ends cleanly, the row it cut is kept with the job until the next body.
 */
export async function appendToImport(
  db: Kysely<Database>,
  job: ImportJob,
  body: AsyncIterable<Uint8Array> | undefined,
  req: AppendRequest,
): Promise<AppendOutcome> {
  const refused = refusal(job, req);
  if (refused) return { ok: false, error: refused, job };
  const limits = { ...DEFAULT_IMPORT_LIMITS, ...req.limits };
  const kind = IMPORT_KINDS[job.type];
  const csv = job.format === 'csv';
  const splitter = new RowSplitter({
    offset: job.offset,
    lines: job.lines,
    carry: job.carry,
    csv,
    maxRowBytes: limits.maxRowBytes,
  });
  const fields = csv ? new CsvFields() : undefined;
  const rules: RowRules = {
    kind,
    cards: req.cards,
    stores: req.principal.stores,
    source: { system: req.principal.clientId, format: `poshub-import/${job.format}` },
  };
  const pending = new PendingBatch({ batchRows: limits.batchRows, maxRows: limits.maxPendingRows });
  const chain = new CommitChain();

  let columns = job.csvColumns;
  let newColumns: string[] | undefined;
  let badHeader: Problem[] | undefined;
  let rowNumber = job.rowsRead;
  let rowsSinceTake = 0;
  let bytesCounted = 0;
  // Where the next commit starts from, and the end of the last row handled.
  let from = { offset: job.offset, batches: job.batches };
  const boundary = { offset: job.offset, lines: job.lines };

  const take = (
    to: { offset: number; lines: number },
    end: Pick<ImportCommit, 'carry' | 'chunks' | 'status' | 'error'>,
  ) => {
    const rows = pending.take();
    const bytes = req.wireBytes() - bytesCounted;
    const commit: ImportCommit = {
      jobId: job.id,
      from,
      to: { ...to, batches: from.batches + rows.groups.length },
      rows: { read: rowsSinceTake, accepted: rows.accepted, rejected: rows.rejects.length },
      bytes,
      csvColumns: newColumns,
      events: batchEvents(job.id, kind, rows.groups, from.batches + 1, req.trace),
      rejects: rows.rejects,
      ...end,
    };
    bytesCounted += bytes;
    rowsSinceTake = 0;
    newColumns = undefined;
    from = { offset: commit.to.offset, batches: commit.to.batches };
    chain.add(async () => {
      if (!(await commitImportBatch(db, commit))) throw new JobMoved();
    });
  };

  const reject = (line: number, problems: Problem[], raw: string | null) => {
    pending.reject({
      rowNumber,
      line,
      problems: problems.map(({ code, pointer, message }) => ({ code, pointer, message })),
      raw,
    });
  };

  const checkCsv = (raw: RawRow, names: string[]): RowCheck | Problem => {
    const parsed = fields!.parse(raw.bytes);
    if (!parsed.ok) return { code: 'csv.malformed', pointer: '', message: parsed.message, severity: 'error' };
    if (parsed.fields.length !== names.length) {
      return {
        code: 'csv.column_count',
        pointer: '',
        message: `has ${parsed.fields.length} fields; the header has ${names.length}`,
        severity: 'error',
      };
    }
    const record: Record<string, string> = {};
    for (const [i, name] of names.entries()) {
      const cell = parsed.fields[i]!;
      if (cell !== '') record[name] = cell;
    }
    return checkRow(rules, { format: 'csv', record });
  };

  const checkNdjson = (raw: RawRow): RowCheck | Problem => {
    const text = raw.bytes.toString('utf8');
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      return {
        code: 'row.malformed_json',
        pointer: '',
        message: (error as Error).message,
        severity: 'error',
      };
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      return { code: 'row.not_an_object', pointer: '', message: 'a row is a JSON object', severity: 'error' };
    }
    return checkRow(rules, { format: 'ndjson', value, text });
  };

  const onRow = (raw: RawRow) => {
    if (badHeader) return;
    boundary.offset = raw.end;
    boundary.lines = splitter.lines;
    if (!raw.tooLong && isBlank(raw.bytes)) return;
    if (csv && !columns) {
      const parsed = fields!.parse(raw.bytes);
      const names = parsed.ok ? parsed.fields.map((f) => f.trim()) : [];
      const problems = parsed.ok
        ? headerProblems(kind, names)
        : [{ code: 'csv.malformed', pointer: '', message: parsed.message, severity: 'error' as const }];
      if (problems.length > 0) badHeader = problems;
      else columns = newColumns = names;
      return;
    }
    rowNumber++;
    rowsSinceTake++;
    if (raw.tooLong) {
      reject(
        raw.line,
        [
          {
            code: 'row.too_long',
            pointer: '',
            message: `a row is at most ${limits.maxRowBytes} bytes`,
            severity: 'error',
          },
        ],
        rawOf(raw.bytes, req.cards),
      );
    } else {
      const check = csv ? checkCsv(raw, columns!) : checkNdjson(raw);
      if ('code' in check) reject(raw.line, [check], rawOf(raw.bytes, req.cards));
      else if (check.ok) pending.accept(check.subject, JSON.stringify(check.row));
      else reject(raw.line, check.problems, check.cardNumber ? null : rawOf(raw.bytes, req.cards));
    }
    if (pending.full) take(boundary, { carry: EMPTY, chunks: 0 });
  };

  const reload = async () => (await findImportJob(db, job.id)) ?? job;
  // The header is the file's first row: nothing was committed before it, so the job fails with nothing in it.
  const failOnHeader = async (problems: Problem[]): Promise<AppendOutcome> => {
    await chain.settle();
    take(
      { offset: from.offset, lines: job.lines },
      {
        carry: job.carry,
        chunks: 0,
        status: 'failed',
        error: `the CSV header is not usable: ${problems.map((p) => p.message).join('; ')}`,
      },
    );
    await chain.settle();
    return { ok: false, error: { code: 'csv_header', problems }, job: await reload() };
  };
  let bodyError: unknown;
  try {
    if (body) {
      let skip = req.skip ?? 0;
      const chunks = body[Symbol.asyncIterator]();
      try {
        for (;;) {
          let next: IteratorResult<Uint8Array>;
          try {
            next = await chunks.next();
          } catch (error) {
            bodyError = error;
            break;
          }
          if (next.done) break;
          let bytes = Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength);
          if (skip > 0) {
            const dropped = Math.min(skip, bytes.length);
            skip -= dropped;
            bytes = bytes.subarray(dropped);
          }
          splitter.push(bytes, onRow);
          if (badHeader) break;
          // At most one commit running while the next rows are read.
          await chain.settle(1);
        }
      } finally {
        if (bodyError === undefined) await chunks.return?.();
      }
    }
    splitter.endChunk(onRow);

    if (badHeader) return await failOnHeader(badHeader);
    if (bodyError !== undefined) {
      // The rows read before the break are kept; the row it cut is not: the client sends it again.
      if (!pending.empty || boundary.offset > from.offset) take(boundary, { carry: EMPTY, chunks: 1 });
      await chain.settle();
      const message = (bodyError as Error)?.message ?? String(bodyError);
      return { ok: false, error: { code: 'body_failed', message }, job: await reload() };
    }
    const chunk = body ? 1 : 0;
    if (!req.complete) {
      take({ offset: splitter.offset, lines: splitter.lines }, { carry: splitter.tail, chunks: chunk });
      await chain.settle();
      return { ok: true, job: await reload() };
    }
    if (job.length !== null && splitter.offset !== job.length) {
      take({ offset: splitter.offset, lines: splitter.lines }, { carry: splitter.tail, chunks: chunk });
      await chain.settle();
      return {
        ok: false,
        error: { code: 'length_mismatch', length: job.length, offset: splitter.offset },
        job: await reload(),
      };
    }
    // Completion: the job is marked processing (it takes no more bytes; a completion cut short is asked
    // again), then the rows still held and the last one, which needs no line end, commit with the job
    // completed.
    const at = { ...from };
    chain.add(async () => {
      if (!(await markImportProcessing(db, job.id, at))) throw new JobMoved();
    });
    splitter.finish(onRow);
    if (badHeader) return await failOnHeader(badHeader);
    take(
      { offset: splitter.offset, lines: splitter.lines },
      { carry: EMPTY, chunks: chunk, status: 'completed' },
    );
    await chain.settle();
    return { ok: true, job: await reload() };
  } catch (error) {
    if (error instanceof JobMoved) return { ok: false, error: { code: 'moved' }, job: await reload() };
    throw error;
  }
}
