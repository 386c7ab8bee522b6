import { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import type { ImportJobView } from './import-job-view.ts';
import type { ImportFormat, ImportType } from './import-tables.ts';

/** The file to upload, as decoded bytes. */
export interface UploadSource {
  /** Decoded length, when known without reading it all (a plain file: its size). */
  length: number | undefined;
  /** The decoded bytes from `offset` on. */
  read(offset: number): AsyncIterable<Uint8Array>;
}

/** What an upload reports as it goes: the job as the hub last told it. */
export interface UploadProgress {
  job: ImportJobView;
  /** Decoded bytes the hub has processed (its offset: rows before it are committed). */
  bytes: number;
}

/** Options of {@link uploadImport}. */
export interface UploadOptions {
  url: string;
  token: string;
  type: ImportType;
  format: ImportFormat;
  /** The job key: the same key resumes the same job. */
  key: string;
  source: UploadSource;
  /** Decoded bytes per PATCH. Default 16 MiB. */
  chunkBytes?: number;
  /** Compress each chunk (Content-Encoding: gzip). */
  gzip?: boolean;
  onProgress?: (progress: UploadProgress) => void;
  /** Told when the hub already had part of the file (the upload resumes there). */
  onResume?: (job: ImportJobView) => void;
  /** How often to ask the hub for progress while a chunk is in flight. Default 1 s. */
  pollMs?: number;
  /** Attempts per step after a connection failure or an interrupted chunk. Default 8. */
  retries?: number;
  signal?: AbortSignal;
}

/** Why an upload stopped. */
export type UploadFailure =
  | {
      kind: 'problem';
      url: string;
      status: number;
      problem: { title: string; detail?: string; [k: string]: unknown };
    }
  | { kind: 'unreachable'; url: string; reason: string }
  | { kind: 'unexpected'; url: string; status: number; text: string };

/** The completed (or failed) job, or why the upload stopped. */
export type UploadResult =
  | { ok: true; job: ImportJobView; resumedFrom: number }
  | { ok: false; failure: UploadFailure; job: ImportJobView | undefined };

type Answer = { status: number; json: unknown; text: string };

const RETRYABLE_PROBLEMS = /\/(import-busy|import-moved|mismatching-upload-offset|upload-interrupted)$/;

/** Reads a source sequentially in chunks, reopening it at an offset after a failure. */
class ChunkReader {
  readonly #source: UploadSource;
  #iterator: AsyncIterator<Uint8Array>;
  #leftover: Buffer | undefined;
  #done = false;

  constructor(source: UploadSource, offset: number) {
    this.#source = source;
    this.#iterator = source.read(offset)[Symbol.asyncIterator]();
  }

  get done(): boolean {
    return this.#done && !this.#leftover;
  }

  reopen(offset: number): void {
    void this.#iterator.return?.();
    this.#iterator = this.#source.read(offset)[Symbol.asyncIterator]();
    this.#leftover = undefined;
    this.#done = false;
  }

  /** The next chunk of at most `limit` bytes, as a stream; `sent` counts its bytes as they are read. */
  chunk(limit: number, sent: (n: number) => void): AsyncIterable<Uint8Array> {
    const self = this;
    return (async function* () {
      let left = limit;
      while (left > 0) {
        let piece = self.#leftover;
        self.#leftover = undefined;
        if (!piece) {
          if (self.#done) return;
          const next = await self.#iterator.next();
          if (next.done) {
            self.#done = true;
            return;
          }
          piece = Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength);
        }
        if (piece.length > left) {
          self.#leftover = piece.subarray(left);
          piece = piece.subarray(0, left);
        }
        left -= piece.length;
        sent(piece.length);
        yield piece;
      }
    })();
  }

  /** Whether anything is left, reading ahead one piece when it must. */
  async hasMore(): Promise<boolean> {
    if (this.#leftover) return true;
    if (this.#done) return false;
    const next = await this.#iterator.next();
    if (next.done) {
      this.#done = true;
      return false;
    }
    this.#leftover = Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength);
    return true;
  }
}

/**
 * Uploads a file to the hub's imports API and completes the job: creates (or finds, by key) the job, sends
 * the file in chunks with Upload-Offset from wherever the hub says the job stands, and after a broken
 * connection or an interrupted chunk asks the job again and continues from its offset. Rerun with the same
 * key after the process died, it resumes the same job.
 */
export async function uploadImport(opts: UploadOptions): Promise<UploadResult> {
  const base = opts.url.replace(/\/+$/, '');
  const chunkBytes = opts.chunkBytes ?? 16 * 1024 * 1024;
  const retries = opts.retries ?? 8;
  const pollMs = opts.pollMs ?? 1000;
  const auth = { authorization: `Bearer ${opts.token}` };

  async function call(method: string, path: string, init: RequestInit = {}): Promise<Answer | UploadFailure> {
    const url = `${base}${path}`;
    try {
      const res = await fetch(url, {
        method,
        ...init,
        headers: {
          accept: 'application/json, application/problem+json',
          ...auth,
          ...(init.headers as object),
        },
        ...(init.body instanceof ReadableStream ? { duplex: 'half' } : {}),
        ...(opts.signal ? { signal: opts.signal } : {}),
      } as RequestInit);
      const text = await res.text();
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      return { status: res.status, json, text };
    } catch (error) {
      const e = error as Error & { cause?: { code?: string; message?: string } };
      return { kind: 'unreachable', url, reason: e.cause?.code ?? e.cause?.message ?? e.message };
    }
  }
  const failureOf = (path: string, a: Answer): UploadFailure => {
    const problem = a.json as { title?: string; status?: number } | undefined;
    return problem && typeof problem.title === 'string'
      ? { kind: 'problem', url: `${base}${path}`, status: a.status, problem: problem as { title: string } }
      : { kind: 'unexpected', url: `${base}${path}`, status: a.status, text: a.text.slice(0, 300) };
  };
  const isRetryable = (a: Answer | UploadFailure) =>
    'kind' in a
      ? a.kind === 'unreachable' && !opts.signal?.aborted
      : a.status >= 500 || RETRYABLE_PROBLEMS.test(String((a.json as { type?: string } | undefined)?.type));
  const pause = (attempt: number) => new Promise((r) => setTimeout(r, Math.min(5000, 200 * 2 ** attempt)));

  /** A request retried on connection failures and 5xx; a problem the caller must see is returned as is. */
  async function step(method: string, path: string, body?: unknown): Promise<Answer | UploadFailure> {
    for (let attempt = 0; ; attempt++) {
      const a = await call(method, path, {
        ...(body === undefined
          ? {}
          : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
      });
      if (!isRetryable(a) || attempt >= retries) return a;
      await pause(attempt);
    }
  }

  const created = await step('POST', '/v1/imports', {
    type: opts.type,
    format: opts.format,
    key: opts.key,
    ...(opts.source.length === undefined ? {} : { length: opts.source.length }),
  });
  if ('kind' in created) return { ok: false, failure: created, job: undefined };
  if (created.status !== 200 && created.status !== 201) {
    return { ok: false, failure: failureOf('/v1/imports', created), job: undefined };
  }
  let job = created.json as ImportJobView;
  const jobPath = `/v1/imports/${encodeURIComponent(job.id)}`;
  const resumedFrom = job.uploadOffset;
  if (resumedFrom > 0 && job.status !== 'completed') opts.onResume?.(job);
  if (job.status === 'completed') return { ok: true, job, resumedFrom };
  if (job.status === 'failed') {
    return {
      ok: false,
      job,
      failure: { kind: 'unexpected', url: `${base}${jobPath}`, status: 409, text: job.error ?? 'failed' },
    };
  }

  const reader = new ChunkReader(opts.source, job.uploadOffset);
  let failures = 0;
  while (job.status === 'receiving' && (await reader.hasMore())) {
    const offset = job.uploadOffset;
    let sent = 0;
    const pieces = reader.chunk(chunkBytes, (n) => {
      sent += n;
    });
    const body = opts.gzip
      ? Readable.toWeb(Readable.from(pieces).pipe(createGzip()))
      : Readable.toWeb(Readable.from(pieces));
    let inFlight = true;
    const poller = (async () => {
      while (inFlight) {
        await new Promise((r) => setTimeout(r, pollMs));
        if (!inFlight) return;
        const a = await call('GET', jobPath);
        if (inFlight && !('kind' in a) && a.status === 200) {
          const now = a.json as ImportJobView;
          opts.onProgress?.({ job: now, bytes: now.uploadOffset });
        }
      }
    })();
    const answer = await call('PATCH', jobPath, {
      headers: {
        'content-type': 'application/partial-upload',
        'upload-offset': String(offset),
        'upload-complete': '?0',
        ...(opts.gzip ? { 'content-encoding': 'gzip' } : {}),
      },
      body: body as ReadableStream<Uint8Array>,
    });
    inFlight = false;
    await poller;
    if (!('kind' in answer) && answer.status === 200) {
      job = answer.json as ImportJobView;
      failures = 0;
      if (job.uploadOffset !== offset + sent) reader.reopen(job.uploadOffset);
      opts.onProgress?.({ job, bytes: job.uploadOffset });
      continue;
    }
    if (!isRetryable(answer) || failures >= retries) {
      return { ok: false, failure: 'kind' in answer ? answer : failureOf(jobPath, answer), job };
    }
    // The chunk broke off or raced another upload: ask the hub where the job stands and go on from there.
    await pause(failures++);
    const now = await step('GET', jobPath);
    if ('kind' in now || now.status !== 200) {
      return { ok: false, failure: 'kind' in now ? now : failureOf(jobPath, now), job };
    }
    job = now.json as ImportJobView;
    reader.reopen(job.uploadOffset);
  }
  if (job.status !== 'completed') {
    const done = await step('POST', `${jobPath}/complete`);
    if ('kind' in done) return { ok: false, failure: done, job };
    if (done.status !== 200) return { ok: false, failure: failureOf(`${jobPath}/complete`, done), job };
    job = done.json as ImportJobView;
  }
  opts.onProgress?.({ job, bytes: job.uploadOffset });
  return { ok: true, job, resumedFrom };
}
